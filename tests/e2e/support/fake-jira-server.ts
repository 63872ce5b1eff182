// The fake Jira Cloud site of the connector tests (recorded payloads), served for the browser
// tests' Sources page on a fixed port: `node --import tsx tests/e2e/support/fake-jira-server.ts PORT`.
import { startFakeJira } from "../../helpers/fake-jira";

const port = Number(process.argv[2]);
const jira = await startFakeJira({ port });
process.stdout.write(`fake Jira at ${jira.url}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void jira.close().then(() => process.exit(0)));
