import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { renderConfigFile } from '../../../src/config/template.js';

describe('the config duo init writes', () => {
  it('the file duo init writes loads with the same schema as any config, with its verify commands', () => {
    for (const reviewGate of [false, true]) {
      for (const verify of [[], ['npm run lint', 'npm test -- --grep "a b"']]) {
        const dir = mkdtempSync(join(tmpdir(), 'duo-cfg-'));
        const text = renderConfigFile({ verify, detected: verify.length > 0, reviewGate });
        expect(text).toMatch(/^\/\/ /);
        writeFileSync(join(dir, 'duo.config.json'), text);
        const { config } = loadConfig(dir);
        expect(config.verify).toEqual(verify);
        expect(config.roles).toMatchObject({ driver: 'claude', skeptic: 'codex' });
        expect(config.reviewGate).toEqual({ maxBlocks: 2, timeoutSeconds: 1100 });
      }
    }
  });
});
