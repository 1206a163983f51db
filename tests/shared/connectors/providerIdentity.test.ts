import {
  createProviderDirectory,
  displayNameOfKey,
  providerNameKey,
} from '../../../shared/connectors/providerIdentity';

describe('provider identity', () => {
  it.each([
    ['Jane Doe', 'jane doe'],
    ['Jane Doe, RN', 'jane doe'],
    ['Doe, Jane', 'jane doe'],
    ['Doe, Jane RN', 'jane doe'],
    ['DOE, JANE, RN, BSN', 'jane doe'],
    ['  jane   doe ', 'jane doe'],
    ['Dr. John Smith MD', 'john smith'],
    ['John Smith, PA-C', 'john smith'],
    ['Renée O’Neil-Park NP', 'renee o neil-park'],
  ])('reads %s as the same person as %s', (name, key) => {
    expect(providerNameKey(name)).toBe(key);
  });

  it('shows a key as a capitalized display name', () => {
    expect(displayNameOfKey('mary-kate smith')).toBe('Mary-Kate Smith');
  });

  it('matches names against an explicit id map, by initial and last name when unique, and reports the rest', () => {
    const directory = createProviderDirectory(
      new Map([
        ['Jane Doe RN', 'P-17'],
        ['Smith, John', 'P-02'],
        ['Sarah Smith', 'P-03'],
      ]),
    );

    expect(directory.resolve('Doe, Jane')).toEqual({ kind: 'matched', id: 'P-17', key: 'jane doe' });
    expect(directory.resolve('J. Doe')).toEqual({ kind: 'matched', id: 'P-17', key: 'j doe' });
    expect(directory.resolve('S Smith')).toEqual({ kind: 'matched', id: 'P-03', key: 's smith' });
    expect(directory.resolve('Alex Kim')).toEqual({ kind: 'unmatched', key: 'alex kim' });
    const twoSmiths = createProviderDirectory(
      new Map([
        ['John Smith', 'P-02'],
        ['Jill Smith', 'P-04'],
      ]),
    );
    expect(twoSmiths.resolve('J Smith')).toEqual({
      kind: 'ambiguous',
      key: 'j smith',
      candidates: ['P-02', 'P-04'],
    });
  });
});
