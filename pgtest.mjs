import { PGlite } from "@electric-sql/pglite";
let t=Date.now();
const db = await PGlite.create();
console.log("fresh mem", Date.now()-t);
t=Date.now();
const r = await db.query(`select ('2026-03-29'::date::timestamp at time zone 'Europe/Berlin') as a, (timestamptz '2026-03-29 12:00Z' at time zone 'America/New_York')::date::text as d, count(*)::int as c, 5::bigint as b, now() as n, '2026-01-01'::date as dd`);
console.log(r.rows, Date.now()-t);
t=Date.now(); const c = await db.clone(); console.log("clone", Date.now()-t);
