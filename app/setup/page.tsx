import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SetupForm } from "@/components/auth/sign-in-form";
import { needsSetup } from "@/lib/services/accounts";
import { publicPageContext } from "@/lib/services/entries";
import { setupAction } from "./actions";

export const metadata: Metadata = { title: "Set up" };

/** First run (as Metabase does it): the first account is an admin; afterwards this page is gone. */
export default async function SetupPage() {
  await connection();
  const ctx = await publicPageContext();
  if (!(await needsSetup(ctx.db))) redirect("/signin");
  return (
    <div className="narrow">
      <h1>Set up Throughline</h1>
      <p className="lede">Create the first account. It is an admin: it adds users, imports data and changes settings.</p>
      <section className="card">
        <SetupForm setup={setupAction} />
      </section>
    </div>
  );
}
