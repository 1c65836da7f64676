// Every CLI command that makes AWS clients, with the least arguments that make it call AWS: for tests that
// check what all of them share (profiles, regions, endpoints). `POLICY` stands for a policy file's path.
export const AWS_COMMANDS_ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-service-role';

export const AWS_COMMANDS: Array<[string, string[]]> = [
  ['generate --source lookup', ['generate', '--source', 'lookup', '--project', 'demo', '--quiet']],
  ['generate --source athena', ['generate', '--source', 'athena', '--athena-table', 'db.trail', '--role', AWS_COMMANDS_ROLE, '--since', '1d', '--quiet']],
  ['generate --source lake', ['generate', '--source', 'lake', '--event-data-store', 'EXAMPLE-1234', '--role', AWS_COMMANDS_ROLE, '--since', '1d', '--quiet']],
  ['diff --role', ['diff', '--proposed', 'POLICY', '--role', 'codebuild-demo-service-role']],
  ['audit (live)', ['audit', '--project', 'demo']],
];
