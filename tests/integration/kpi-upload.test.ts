// The KPI upload's own limit, checked by the service whatever the browser did.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../lib/auth/permissions";
import type { Database } from "../../lib/db/client";
import { MAX_KPI_UPLOAD_BYTES } from "../../lib/ingest/upload-limits";
import { uploadKpiFile } from "../../lib/services/kpis";
import { contextOf } from "../helpers/accounts";
import { engines } from "../helpers/db";

describe.each(engines())("KPI upload on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  it("refuses a file over 20 MB with 413 before reading it", async () => {
    let read = false;
    const file = { name: "huge.csv", size: MAX_KPI_UPLOAD_BYTES + 1, text: async () => ((read = true), "") };
    await expect(uploadKpiFile(contextOf(database, SYSTEM), file, "sum")).rejects.toMatchObject({ code: "TOO_LARGE", status: 413, message: expect.stringMatching(/20 MB/) });
    expect(read).toBe(false);
  });
});
