"use client";

import { Line, LineChart, ResponsiveContainer } from "recharts";
import { chartColors } from "./theme";

/** A tiny trend line without axes, for the overview cards. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  return (
    <div className="sparkline" role="img" aria-label={`${label}: ${values.join(", ")}`}>
      <ResponsiveContainer width="100%" height={36}>
        <LineChart data={values.map((v, i) => ({ i, v }))} margin={{ top: 4, right: 2, bottom: 4, left: 2 }}>
          <Line type="monotone" dataKey="v" stroke={chartColors.accent} dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
