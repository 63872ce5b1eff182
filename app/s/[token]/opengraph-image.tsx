import { ImageResponse } from "next/og";
import { AppError } from "@/lib/errors";
import { sharedViewFor } from "@/lib/services/entries-share";
import { barHeights, flowPreview } from "@/lib/views/share-preview";

export const alt = "A chart shared from Throughline";
export const size = { width: 1200, height: 630 };
export const contentType = "image/png";

// The picture a chat tool unfurls: the view's headline over its series (next/og draws it; its
// bundled font is used, so nothing is fetched).
export default async function Image({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let title = "Throughline";
  let headline = "This shared view is no longer available.";
  let values: number[] = [];
  try {
    const view = await sharedViewFor(token, false);
    title = view.title;
    headline = view.headline;
    values = view.kind === "outcomes" ? view.outcomes.series.map((p) => p.value) : flowPreview(view.chart, view.data).values;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
  const bars = barHeights(values, 48);
  return new ImageResponse(
    (
      <div style={{ width: "100%", height: "100%", display: "flex", flexDirection: "column", background: "#ffffff", padding: 56, fontSize: 32, color: "#111827" }}>
        <div style={{ display: "flex", fontSize: 28, color: "#6b7280" }}>{title}</div>
        <div style={{ display: "flex", fontSize: 54, fontWeight: 700, marginTop: 12, lineHeight: 1.15 }}>{headline}</div>
        <div style={{ display: "flex", flexGrow: 1, alignItems: "flex-end", marginTop: 32 }}>
          {bars.map((h, i) => (
            <div key={i} style={{ display: "flex", flexGrow: 1, marginLeft: 3, height: `${Math.max(2, Math.round(h * 100))}%`, background: "#2563eb", opacity: 0.85 }} />
          ))}
        </div>
        <div style={{ display: "flex", marginTop: 20, fontSize: 22, color: "#6b7280" }}>Throughline · shared view</div>
      </div>
    ),
    { ...size },
  );
}
