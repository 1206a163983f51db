import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { reportWorkbookBuffer } from '../io/reportWorkbook';
import { reportQuerySchema } from '../shared/contract/portfolio';
import { loadBoardReport } from '../shared/report/loadBoardReport';
import { ApiError, withErrorMapping } from './httpErrors';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `board-pack-FY2025.xlsx`, safe in a Content-Disposition header whatever the period says. */
function fileName(period: string): string {
  return `board-pack-${period.replace(/[^A-Za-z0-9@._-]+/g, '_').slice(0, 40)}.xlsx`;
}

/**
 * `GET /api/report.xlsx?period=&locations=&as_reported_at=`: the board pack as a workbook, the
 * same one `caliper report` writes, for the caller's tenant only.
 */
export const reportHandler = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { store, metrics } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, reportQuerySchema);
  const locationIds = query.locations
    ?.split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const result = await loadBoardReport(
    store,
    tenant,
    {
      period: query.period,
      ...(locationIds === undefined || locationIds.length === 0 ? {} : { locationIds }),
      ...(query.as_reported_at === undefined ? {} : { asReportedAt: query.as_reported_at }),
      now: new Date().toISOString(),
    },
    async () => (await metrics.versioned(tenant)).context,
  );
  if (!result.ok) throw new ApiError(result.code, result.message);
  const body = await reportWorkbookBuffer(result.workbook);
  return {
    status: 200,
    headers: {
      'content-type': XLSX_CONTENT_TYPE,
      'content-disposition': `attachment; filename="${fileName(query.period)}"`,
      'cache-control': 'no-store',
    },
    body,
  };
});

app.http('report', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'report.xlsx',
  handler: reportHandler,
});
