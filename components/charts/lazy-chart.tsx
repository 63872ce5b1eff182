"use client";

import { createContext, useContext, useEffect, useRef, useState, type ComponentType, type ReactNode } from "react";
import { useHydrated } from "./static-chart";

/**
 * How near the viewport a chart starts loading its interactive version: far enough ahead that a
 * reader scrolling down meets it drawn, near enough that the charts below the fold cost nothing
 * on first paint.
 */
export const NEAR_VIEWPORT = "300px 0px";

/** How long a chart whose code could not be fetched waits before a touch may ask again. */
const RETRY_AFTER_MS = 5_000;

/**
 * When a chart's interactive version loads. "near-viewport" (the dashboard): as it comes near the
 * viewport. "on-interaction" (a shared view): at the reader's first pointer, touch or focus on it —
 * the SVG the server drew is already the whole chart, so a leader's first screen ships no chart
 * code at all, and the tooltips arrive as the pointer does.
 */
export type ChartLoading = "near-viewport" | "on-interaction";
export const ChartLoadingContext = createContext<ChartLoading>("near-viewport");

/** Its charts load their interactive versions on interaction (usable from a server component). */
export function ChartsOnInteraction({ children }: { children: ReactNode }) {
  return <ChartLoadingContext.Provider value="on-interaction">{children}</ChartLoadingContext.Provider>;
}

/** True once the element has come within `margin` of the viewport (and from then on). */
function useNearViewport(ref: React.RefObject<HTMLElement | null>, margin: string, enabled: boolean): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!enabled || near || !element) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: margin });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, margin, near, enabled]);
  return near;
}

/**
 * A chart whose interactive (Recharts) version is its own chunk, fetched when the chart comes near
 * the viewport. Until it is drawn, `picture` stands in: the plain-SVG chart the server rendered, so
 * hydration matches and nothing jumps when the interactive chart replaces it.
 *
 * Not React.lazy under Suspense: React holds back a resolved Suspense boundary until 300 ms after
 * the last one it revealed (so content does not pop in piece by piece), and the charts of each
 * screen waited out that pause — ~250 ms a screen, three screens on the dashboard. The chunk
 * arriving sets state instead, which React draws at once. If it cannot be fetched, the picture
 * (already the whole chart) stays; the next chart to come near, or the next touch, tries again.
 */
export function lazyChart<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  let drawn: ComponentType<P> | null = null;
  let fetching: Promise<ComponentType<P>> | null = null;
  const fetchDrawn = () =>
    (fetching ??= load().then(
      (module) => (drawn = module.default),
      (error: unknown) => {
        fetching = null;
        throw error;
      },
    ));
  function LazyChart({ picture, ...props }: P & { picture: ReactNode }) {
    const ref = useRef<HTMLDivElement>(null);
    const loading = useContext(ChartLoadingContext);
    const near = useNearViewport(ref, NEAR_VIEWPORT, loading === "near-viewport");
    const [touched, setTouched] = useState(false);
    // Over and move, not enter: React derives enter from the element the pointer left, and when that
    // one was being redrawn (the chart beside it turning interactive) the enter was lost.
    const touch = loading === "on-interaction" && !touched ? () => setTouched(true) : undefined;
    const [arrived, setArrived] = useState<ComponentType<P> | null>(null);
    const wanted = near || touched;
    useEffect(() => {
      if (!wanted || arrived) return;
      let mounted = true;
      let retry: ReturnType<typeof setTimeout> | undefined;
      fetchDrawn().then(
        (component) => mounted && setArrived(() => component),
        (error: unknown) => {
          console.warn("throughline: the interactive chart could not be loaded; its picture stays", error);
          // A shared view's chart asks again at the reader's next pointer or focus, after a pause:
          // every pointer move would otherwise ask again while the network is down.
          if (mounted) retry = setTimeout(() => setTouched(false), RETRY_AFTER_MS);
        },
      );
      return () => {
        mounted = false;
        clearTimeout(retry);
      };
    }, [wanted, arrived]);
    // Mounted again after hydration (new data, a chart view toggled back) with its code already
    // here: drawn at once, wherever it is. During hydration, the server's picture.
    const hydrated = useHydrated();
    const Drawn = arrived ?? (hydrated ? drawn : null);
    return (
      <div ref={ref} className="lazy-chart" onPointerOver={touch} onPointerMove={touch} onTouchStart={touch} onFocus={touch}>
        {Drawn ? <Drawn {...(props as unknown as P & React.JSX.IntrinsicAttributes)} /> : picture}
      </div>
    );
  }
  return LazyChart;
}
