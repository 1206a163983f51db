import type * as AzureFunctions from '@azure/functions';
import type { HttpFunctionOptions } from '@azure/functions';

import type * as Routes from '../../functions/routes';
import type { RouteDefinition } from '../../functions/routes';

describe('ROUTES', () => {
  it('lists exactly the triggers the Functions host registers, with the same methods and routes', () => {
    const registered: { name: string; methods: unknown; route: unknown; handler: unknown }[] = [];
    let routes: readonly RouteDefinition[] = [];
    // A fresh module registry, so importing the handlers registers them again under the spy.
    jest.isolateModules(() => {
      const { app } = jest.requireActual<typeof AzureFunctions>('@azure/functions');
      jest.spyOn(app, 'http').mockImplementation((name: string, options: HttpFunctionOptions) => {
        registered.push({ name, methods: options.methods, route: options.route, handler: options.handler });
      });
      routes = jest.requireActual<typeof Routes>('../../functions/routes').ROUTES;
    });
    const sort = <T extends { name: string }>(xs: T[]) =>
      [...xs].sort((a, b) => a.name.localeCompare(b.name));
    expect(
      sort(
        routes.map((r) => ({ name: r.name, methods: [...r.methods], route: r.route, handler: r.handler })),
      ),
    ).toEqual(sort(registered));
  });
});
