import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

interface Props {
  label: string;
  /** Unix seconds and values, oldest first. */
  times: number[];
  values: number[];
  latest: string;
  color: string;
}

/** A small uPlot line chart; `data-points` tells tests (and curious readers) how many points it holds. */
export function Sparkline({ label, times, values, latest, color }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!box.current) return;
    plot.current = new uPlot(
      {
        width: 180,
        height: 40,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false }, y: { range: (_u, min, max) => [Math.min(0, min) - (max > 0 ? max : 1) * 0.06, max > 0 ? max * 1.1 : 1] } },
        series: [{}, { stroke: color, width: 1.5, fill: `${color}22`, points: { show: false } }],
      },
      [[], []],
      box.current,
    );
    return () => plot.current?.destroy();
  }, []);
  useEffect(() => {
    plot.current?.setData([times, values]);
  }, [times, values]);
  const description = `${label}: ${latest}, ${values.length} points`;
  return (
    <figure class="spark" data-points={values.length}>
      <figcaption>
        {label} <strong>{latest}</strong>
      </figcaption>
      <div ref={box} role="img" aria-label={description} />
    </figure>
  );
}
