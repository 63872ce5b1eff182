// The accounts the browser tests create (on the test server's own fresh database).
export const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };
export const VIEWER = { name: "Vic Viewer", email: "vic@example.com", password: "viewer password 1" };
