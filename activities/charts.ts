// The report's charts drawn on the server: Vega-Lite compiles the specification (domain/report-view.ts),
// Vega renders it headless to SVG (the page shows it inline, no script needed), and resvg turns the
// SVG into a PNG for the managers' e-mail.
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../domain/report-view';

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The chart as an SVG document, one image to assistive technology: its accessible name is the
 * spec's `description` (Vega's headless SVG names only its axes, in English). The same figures
 * stand in a table beside every chart.
 */
export async function chartSvg(spec: ChartSpec): Promise<string> {
  const view = new View(parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    // Vega's marks name themselves (roles, English labels) even with ARIA off in the config: left out.
    const svg = (await view.toSVG()).replace(/ (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '');
    return svg.replace(/^<svg /, `<svg role="img" aria-label="${escaped(spec.description)}" `);
  } finally {
    view.finalize();
  }
}

/** The SVG as a PNG at twice its size (sharp on a phone's screen), with the machine's fonts. */
export function chartPng(svg: string): Buffer {
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render();
  return png.asPng();
}
