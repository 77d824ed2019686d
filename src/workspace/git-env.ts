const INHERITED_GIT_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
];

/**
 * The environment every git call runs with. Variables a git hook or an outer git command may have set
 * (GIT_DIR, GIT_INDEX_FILE, …) would otherwise point duo's git at the user's repository state instead of the
 * run's worktree. No dependencies: finding the repository must not load the subprocess library.
 */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
  for (const v of INHERITED_GIT_VARS) if (!(v in extra)) delete env[v];
  return env;
}
