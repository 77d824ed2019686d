import { describe, expect, it } from 'vitest';
import { RoutingConfig } from '../../../src/config/schema.js';
import { planPaths, riskyPaths } from '../../../src/protocol/risk-paths.js';

/** The paths an agreed plan touches, judged for risk: duo's own list and configured globs. */
const defaults = RoutingConfig.parse({});

describe('risky paths', () => {
  it("duo's list: migrations, schema files, auth and payments, case-insensitively, in folders or file names", () => {
    const hits = riskyPaths(
      [
        'db/migrations/002_add_index.sql',
        'prisma/schema.prisma',
        'src/Auth/session.ts',
        'src/lib/password-reset.ts',
        'app/billing/invoice_total.py',
        'src/utils/strings.ts',
        'README.md',
      ],
      defaults,
    );
    expect(hits).toEqual([
      { path: 'db/migrations/002_add_index.sql', label: 'migration' },
      { path: 'prisma/schema.prisma', label: 'schema' },
      { path: 'src/Auth/session.ts', label: 'auth' },
      { path: 'src/lib/password-reset.ts', label: 'auth' },
      { path: 'app/billing/invoice_total.py', label: 'payments' },
    ]);
  });

  it('configured globs add to it; defaultRiskPaths: false leaves only them', () => {
    const config = RoutingConfig.parse({ riskPaths: ['infra/terraform/**'] });
    expect(riskyPaths(['infra/terraform/main.tf', 'src/auth.ts'], config).map((h) => h.label)).toEqual([
      'configured (infra/terraform/**)',
      'auth',
    ]);
    const only = RoutingConfig.parse({ riskPaths: ['infra/**'], defaultRiskPaths: false });
    expect(riskyPaths(['infra/x.tf', 'src/auth.ts'], only).map((h) => h.path)).toEqual(['infra/x.tf']);
  });

  it("the plan's paths: its files, its sub-tasks' files and the tests it changes on purpose, once each", () => {
    const plan = {
      summary: 's',
      files: [{ path: './src/a.ts', change: '' }],
      approach: '',
      tests: [],
      testChanges: [{ path: 'test/a.test.ts', reason: 'r' }],
      risks: [],
      rollback: null,
      subtasks: [{ id: 'S1', title: 't', description: '', files: ['src/a.ts', 'db/migrate/1.rb'], independent: true }],
      answers: [],
    };
    expect(planPaths(plan)).toEqual(['src/a.ts', 'db/migrate/1.rb', 'test/a.test.ts']);
  });
});
