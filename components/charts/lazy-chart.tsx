"use client";

import { lazy, Suspense, useEffect, useRef, useState, type ComponentType, type ReactNode } from "react";
import { useHydrated } from "./static-chart";

/**
 * How near the viewport a chart starts loading its interactive version: far enough ahead that a
 * reader scrolling down meets it drawn, near enough that the charts below the fold cost nothing
 * on first paint.
 */
export const NEAR_VIEWPORT = "300px 0px";

/** True once the element has come within `margin` of the viewport (and from then on). */
function useNearViewport(ref: React.RefObject<HTMLElement | null>, margin: string): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: margin });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, margin, near]);
  return near;
}

/**
 * A chart whose interactive (Recharts) version is its own chunk, fetched when the chart comes near
 * the viewport. Until it is drawn, `picture` stands in: the plain-SVG chart the server rendered, so
 * hydration matches and nothing jumps when the interactive chart replaces it.
 */
export function lazyChart<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  let loaded = false;
  const Drawn = lazy(() =>
    load().then((module) => {
      loaded = true;
      return module;
    }),
  );
  function LazyChart({ picture, ...props }: P & { picture: ReactNode }) {
    const ref = useRef<HTMLDivElement>(null);
    const near = useNearViewport(ref, NEAR_VIEWPORT);
    // Mounted again after hydration (new data, a chart view toggled back) with its code already
    // here: drawn at once, wherever it is.
    const again = useHydrated() && loaded;
    return (
      <div ref={ref} className="lazy-chart">
        {near || again ? <Suspense fallback={picture}>{<Drawn {...(props as unknown as P & React.JSX.IntrinsicAttributes)} />}</Suspense> : picture}
      </div>
    );
  }
  return LazyChart;
}
