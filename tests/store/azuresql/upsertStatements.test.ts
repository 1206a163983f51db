import { allEntitySpecs, storedColumnsOf } from '../../../shared/store/storedColumns';
import { buildEntityStatements } from '../../../store/azuresql/azureSql-upsertStatements';

describe('the T-SQL of the batch upsert', () => {
  it.each(allEntitySpecs().map((spec) => [spec.entity, spec] as const))(
    '%s: looks up, closes and inserts by tenant, with every stored column and the natural key',
    (_entity, spec) => {
      const s = buildEntityStatements(spec);
      expect(s.findCurrent).toContain('t.tenant_id = @tenant');
      expect(s.close).toContain('WHERE tenant_id = @tenant');
      for (const key of spec.naturalKey) {
        expect(s.findCurrent).toContain(`t.[${key}] = b.[${key}] COLLATE Latin1_General_100_BIN2`);
      }
      expect(s.findCurrent).toContain('t.valid_to_ingest IS NULL');
      expect(s.close).toContain('valid_to_ingest IS NULL');
      const insertColumns = /INSERT INTO \w+ \(([^)]*)\)/
        .exec(s.insert)![1]!
        .split(',')
        .map((c) => c.trim());
      expect(insertColumns).toEqual([
        'tenant_id',
        ...storedColumnsOf(spec).map((c) => `[${c.name}]`),
        'extra_json',
        'row_hash',
        'source_file_id',
        'source_row',
        'valid_from_ingest',
      ]);
      for (const column of storedColumnsOf(spec)) {
        expect(s.insert).toContain(
          `[${column.name}] ${column.type === 'TEXT' ? 'NVARCHAR(MAX)' : column.type === 'INTEGER' ? 'BIGINT' : 'FLOAT'} '$.${column.name}'`,
        );
      }
      expect(s.insert).toContain('SELECT @tenant,');
      expect(s.insert).toContain('ORDER BY b.batch_index');
      // A row moved by a location merge keeps its own source file; others take the batch's.
      expect(s.insert).toContain('COALESCE(b.source_file_id, @sourceFile)');
    },
  );
});
