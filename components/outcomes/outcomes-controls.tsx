"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

interface Props {
  teams: { key: string; name: string }[];
  kpis: { key: string; name: string }[];
  team: string;
  kpi: string;
  window: number;
  grain: string;
}

/** Team, KPI, window and grain of the outcomes view: each a query parameter. */
export function OutcomesControls(props: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(search.toString());
    next.set(name, value);
    router.push(`${pathname}?${next}`, { scroll: false });
  };
  return (
    <form className="filters" aria-label="Outcome filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Team{" "}
        <select value={props.team} onChange={(e) => set("team", e.target.value)}>
          {props.teams.map((t) => (
            <option key={t.key} value={t.key}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        KPI{" "}
        <select value={props.kpi} onChange={(e) => set("kpi", e.target.value)}>
          {props.kpis.map((k) => (
            <option key={k.key} value={k.key}>
              {k.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Window{" "}
        <select value={String(props.window)} onChange={(e) => set("window", e.target.value)}>
          {[7, 14, 28, 56, 90].map((d) => (
            <option key={d} value={d}>
              {d} days before / after
            </option>
          ))}
        </select>
      </label>
      <label>
        Grain{" "}
        <select value={props.grain} onChange={(e) => set("grain", e.target.value)}>
          <option value="day">daily</option>
          <option value="week">weekly</option>
          <option value="month">monthly</option>
        </select>
      </label>
    </form>
  );
}
