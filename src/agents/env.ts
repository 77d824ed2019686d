const BASICS = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'TMPDIR',
  'TZ',
  'LANG',
  'LANGUAGE',
  'COLORTERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'NODE_OPTIONS',
  'NVM_DIR',
  'NVM_BIN',
  'VOLTA_HOME',
  'COREPACK_HOME',
  'npm_config_cache',
  'PNPM_HOME',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'GOPATH',
  'GOROOT',
  'GOCACHE',
  'PYENV_ROOT',
  'VIRTUAL_ENV',
  'JAVA_HOME',
]);
const BASIC_PREFIXES = ['LC_', 'XDG_'];

/** Each built-in agent's own provider variables (login, endpoints, config folders). */
const PROVIDER_PREFIXES: Record<string, string[]> = {
  claude: ['ANTHROPIC_', 'CLAUDE_', 'DISABLE_', 'MCP_', 'AWS_', 'CLOUD_ML_', 'GOOGLE_', 'VERTEX_'],
  codex: ['OPENAI_', 'CODEX_', 'AZURE_OPENAI_'],
  command: [],
};

/**
 * Agents get only the environment they need: the basics a CLI and the tools it runs expect (PATH, HOME, locale,
 * proxies, certificates), their own provider's variables, and what the user configured for that agent. Other
 * secrets in duo's environment (cloud credentials, other providers' keys, tokens) are not handed over.
 */
export function agentEnv(
  kind: 'claude' | 'codex' | 'command',
  configured: Record<string, string> = {},
  extra: Record<string, string> = {},
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const prefixes = [...BASIC_PREFIXES, ...(PROVIDER_PREFIXES[kind] ?? [])];
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    if (BASICS.has(name) || prefixes.some((p) => name.startsWith(p))) env[name] = value;
  }
  // What the user configured for this agent wins, then what duo itself adds for the call.
  return { ...env, ...configured, ...extra };
}
