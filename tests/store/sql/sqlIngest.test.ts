import { allEntitySpecs, storedColumnsOf } from '../../../shared/store/storedColumns';
import { AZURE_SQL_DIALECT, SQLITE_DIALECT } from '../../../store/sql/sqlDialect';
import { currentRowsWhere } from '../../../store/sql/sqlIngest';

describe('the current rows a location merge moves (written once for both databases)', () => {
  it.each(allEntitySpecs().map((spec) => [spec.entity, spec] as const))(
    '%s: reads back the current rows of a location column by tenant, every stored column included (T-SQL)',
    (entity, spec) => {
      for (const column of Object.keys(spec.columns).filter((c) => c.endsWith('location_id'))) {
        const sql = currentRowsWhere(AZURE_SQL_DIALECT, entity, column);
        expect(sql).toContain(
          `WHERE tenant_id = @tenant AND [${column}] = @value AND valid_to_ingest IS NULL`,
        );
        for (const stored of storedColumnsOf(spec)) expect(sql).toContain(`[${stored.name}]`);
        expect(sql).toContain('row_id');
        expect(sql).toContain('source_file_id, source_row');
      }
      expect(() => currentRowsWhere(AZURE_SQL_DIALECT, entity, 'no_such_column')).toThrow(
        /has no column no_such_column/,
      );
    },
  );

  it('quotes the same statement for SQLite', () => {
    expect(currentRowsWhere(SQLITE_DIALECT, 'sales', 'location_id')).toContain(
      'WHERE tenant_id = @tenant AND "location_id" = @value AND valid_to_ingest IS NULL',
    );
  });
});
