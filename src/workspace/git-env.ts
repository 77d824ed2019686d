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
  // duo's own git never runs the repository's hooks or fsmonitor: a hook an agent wrote into the shared .git must
  // not run when duo checks out the commit the gate judges (appended to any GIT_CONFIG_* the user set).
  const n = Number(env.GIT_CONFIG_COUNT) || 0;
  env.GIT_CONFIG_COUNT = String(n + 2);
  env[`GIT_CONFIG_KEY_${n}`] = 'core.hooksPath';
  env[`GIT_CONFIG_VALUE_${n}`] = '/dev/null';
  env[`GIT_CONFIG_KEY_${n + 1}`] = 'core.fsmonitor';
  env[`GIT_CONFIG_VALUE_${n + 1}`] = 'false';
  return env;
}
