/** GitHub Actions jobs: repositories, branches, tags, environments. */
import { IssuerWords } from './oidc';

function githubSubject(value: string): string {
  const owner = /^repo:([^/:]+)\/\*$/.exec(value);
  if (owner) return `every repository of ${owner[1]}`;
  const m = /^repo:([^:]+):(.*)$/.exec(value);
  if (!m) return `subject ${value}`;
  const [, repo, rest] = m;
  const ref = /^ref:refs\/(heads|tags)\/(.+)$/.exec(rest);
  if (ref) return `${repo}, ${ref[1] === 'heads' ? 'branch' : 'tag'} ${ref[2]}`;
  const env = /^environment:([^:]+)$/.exec(rest);
  if (env) return `${repo}, environment ${env[1]}`;
  if (rest === 'pull_request') return `${repo}, pull requests`;
  if (rest === '*') return `${repo}, any branch, tag, environment or pull request`;
  return `${repo}, subject ${rest}`;
}

/** GitHub's subjects in words. */
export const GITHUB_WORDS: IssuerWords = {
  prefix: () => 'GitHub Actions',
  anyone: () => 'any job of any repository',
  subject: value => `GitHub Actions: ${githubSubject(value)}`,
  standardAudience: values => values.every(v => v === 'sts.amazonaws.com'),
};
