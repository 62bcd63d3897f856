/** GitLab CI jobs: projects, branches and tags. */
import { IssuerWords } from './oidc';

function gitlabSubject(value: string): string {
  const group = /^project_path:([^:]+)\/\*$/.exec(value);
  if (group) return `every project of group ${group[1]}`;
  const m = /^project_path:([^:]+)(?::(.*))?$/.exec(value);
  if (!m) return `subject ${value}`;
  const [, project, rest] = m;
  const ref = /^ref_type:(branch|tag):ref:(.+)$/.exec(rest ?? '');
  if (ref) return `${project}, ${ref[1]} ${ref[2]}`;
  if (rest === '*') return `${project}, any branch or tag`;
  return rest ? `${project}, subject ${rest}` : project;
}

/** GitLab's subjects in words. */
export const GITLAB_WORDS: IssuerWords = {
  prefix: issuer => `GitLab CI (${issuer})`,
  anyone: () => 'any job of any project',
  subject: (value, _like, issuer) => `GitLab CI (${issuer}): ${gitlabSubject(value)}`,
  standardAudience: values => values.every(v => /^https:\/\//.test(v)),
};
