import { z } from 'zod';

/**
 * One schema, two uses: the zod schema that validates an agent's answer is also what the agent CLI is handed as
 * JSON Schema (`claude --json-schema`, `codex exec --output-schema`, or the prompt of a command agent).
 */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const js = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete js.$schema;
  return js;
}
