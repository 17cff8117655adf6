import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { visibleWindow } from '../lib/visible-window';

/**
 * A fixed-row-height virtualised list: only the rows in view (plus a few) exist in the DOM, so
 * 5,000 active alarms scroll as smoothly as 50.
 */
export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  row: (item: T, index: number) => ComponentChildren;
  keyOf: (item: T) => string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const { start, end } = visibleWindow(scrollTop, height, props.rowHeight, props.items.length);
  const rows = [];
  for (let i = start; i < end; i++) {
    const item = props.items[i] as T;
    rows.push(
      <div
        key={props.keyOf(item)}
        class="vrow"
        style={{ transform: `translateY(${i * props.rowHeight}px)`, height: `${props.rowHeight}px` }}
      >
        {props.row(item, i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      class="vlist"
      data-testid={props.testId}
      data-total={props.items.length}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <div style={{ height: `${props.items.length * props.rowHeight}px`, position: 'relative' }}>{rows}</div>
    </div>
  );
}
