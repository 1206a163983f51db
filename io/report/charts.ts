/*
 * The DrawingML of a chart and of the drawing that anchors it to a sheet. exceljs writes no
 * charts, so io/report/package.ts adds these parts to the package exceljs wrote. Every series
 * refers to the table's cells (Excel and LibreOffice redraw from them) and carries the engine's
 * values as its cache, for viewers that draw without calculating.
 */

import type { ReportChart } from '../../shared/report/reportSpec';

export interface ChartSeries {
  name: string;
  /** `'Sheet'!$B$5`: the series name (the column header). */
  nameRef: string;
  /** `'Sheet'!$B$6:$B$9` */
  valuesRef: string;
  values: (number | null)[];
}

export interface ChartAnchor {
  /** 0-based, as DrawingML counts. */
  fromColumn: number;
  fromRow: number;
  toColumn: number;
  toColumnOffsetPx: number;
  toRow: number;
}

export interface ChartPart {
  kind: ReportChart['kind'];
  title: string;
  categoryRef: string;
  /** Text categories, or numbers (dates as Excel serials) shown in a number format. */
  categories:
    { kind: 'text'; values: string[] } | { kind: 'number'; values: (number | null)[]; format: string };
  series: ChartSeries[];
  /** The value axis' number format (the first value column's). */
  numberFormat: string;
  anchor: ChartAnchor;
}

const EMU_PER_PX = 9525;
const PALETTE = ['1F4E79', 'ED7D31', '7F7F7F', '2E75B6', 'FFC000', '70AD47'];

/** Text for XML content and attribute values; characters XML 1.0 cannot hold are dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\r/g, '&#13;')
      .replace(/\n/g, '&#10;')
      .replace(/\t/g, '&#9;')
  );
}

function strCache(values: readonly string[]): string {
  const points = values.map((v, i) => `<c:pt idx="${i}"><c:v>${escapeXml(v)}</c:v></c:pt>`).join('');
  return `<c:strCache><c:ptCount val="${values.length}"/>${points}</c:strCache>`;
}

function numCache(values: readonly (number | null)[], format: string): string {
  const points = values
    .map((v, i) => (v === null || !Number.isFinite(v) ? '' : `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`))
    .join('');
  return `<c:numCache><c:formatCode>${escapeXml(format)}</c:formatCode><c:ptCount val="${values.length}"/>${points}</c:numCache>`;
}

function categories(part: ChartPart): string {
  const ref = `<c:f>${escapeXml(part.categoryRef)}</c:f>`;
  const c = part.categories;
  return c.kind === 'text'
    ? `<c:cat><c:strRef>${ref}${strCache(c.values)}</c:strRef></c:cat>`
    : `<c:cat><c:numRef>${ref}${numCache(c.values, c.format)}</c:numRef></c:cat>`;
}

function series(part: ChartPart, s: ChartSeries, i: number): string {
  const colour = PALETTE[i % PALETTE.length] ?? '1F4E79';
  const line = part.kind === 'line';
  const spPr = line
    ? `<c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="${colour}"/></a:solidFill><a:round/></a:ln></c:spPr>` +
      `<c:marker><c:symbol val="circle"/><c:size val="5"/><c:spPr><a:solidFill><a:srgbClr val="${colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr></c:marker>`
    : `<c:spPr><a:solidFill><a:srgbClr val="${colour}"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>`;
  return (
    `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>` +
    `<c:tx><c:strRef><c:f>${escapeXml(s.nameRef)}</c:f>${strCache([s.name])}</c:strRef></c:tx>` +
    spPr +
    categories(part) +
    `<c:val><c:numRef><c:f>${escapeXml(s.valuesRef)}</c:f>${numCache(s.values, part.numberFormat)}</c:numRef></c:val>` +
    (line ? '<c:smooth val="0"/>' : '') +
    `</c:ser>`
  );
}

const GRID = '<c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr>';
const AXIS_LINE =
  '<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="A6A6A6"/></a:solidFill></a:ln></c:spPr>';
const AXIS_TEXT =
  '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"><a:solidFill><a:srgbClr val="404040"/></a:solidFill></a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>';

/** xl/charts/chartN.xml */
export function chartXml(part: ChartPart): string {
  const horizontal = part.kind === 'bar';
  const plot =
    part.kind === 'line'
      ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${part.series.map((s, i) => series(part, s, i)).join('')}` +
        `<c:marker val="1"/><c:axId val="500001"/><c:axId val="500002"/></c:lineChart>`
      : `<c:barChart><c:barDir val="${horizontal ? 'bar' : 'col'}"/><c:grouping val="clustered"/><c:varyColors val="0"/>` +
        `${part.series.map((s, i) => series(part, s, i)).join('')}` +
        `<c:gapWidth val="80"/><c:axId val="500001"/><c:axId val="500002"/></c:barChart>`;
  const catAx =
    // Horizontal bars read top-down in table order: the category axis runs max→min, and the
    // value axis crosses it at its maximum category (the bottom) so its labels stay below.
    `<c:catAx><c:axId val="500001"/><c:scaling><c:orientation val="${horizontal ? 'maxMin' : 'minMax'}"/></c:scaling>` +
    `<c:delete val="0"/><c:axPos val="${horizontal ? 'l' : 'b'}"/>` +
    (part.categories.kind === 'number'
      ? `<c:numFmt formatCode="${escapeXml(part.categories.format)}" sourceLinked="0"/>`
      : '<c:numFmt formatCode="General" sourceLinked="1"/>') +
    `<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>${AXIS_LINE}${AXIS_TEXT}` +
    `<c:crossAx val="500002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>` +
    `<c:noMultiLvlLbl val="0"/></c:catAx>`;
  const valAx =
    `<c:valAx><c:axId val="500002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="${horizontal ? 'b' : 'l'}"/><c:majorGridlines>${GRID}</c:majorGridlines>` +
    `<c:numFmt formatCode="${escapeXml(part.numberFormat)}" sourceLinked="0"/>` +
    `<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>` +
    `<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>${AXIS_TEXT}` +
    `<c:crossAx val="500001"/><c:crosses val="${horizontal ? 'max' : 'autoZero'}"/><c:crossBetween val="between"/></c:valAx>`;
  const title =
    `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr>` +
    `<a:r><a:rPr lang="en-US" sz="1200" b="1"><a:solidFill><a:srgbClr val="262626"/></a:solidFill></a:rPr>` +
    `<a:t>${escapeXml(part.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" ' +
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<c:roundedCorners val="0"/>' +
    `<c:chart>${title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>${plot}${catAx}${valAx}</c:plotArea>` +
    '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>' +
    '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>' +
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>' +
    '</c:chartSpace>'
  );
}

/** One chart of a drawing: its anchor, its title (alt text) and the drawing's relationship to it. */
export interface DrawnChart {
  anchor: ChartAnchor;
  title: string;
  relId: string;
}

/** xl/drawings/drawingN.xml: the sheet's charts, each anchored to cells (moves, not sizes, with them). */
export function drawingXml(charts: readonly DrawnChart[]): string {
  const anchors = charts.map((c, i) => {
    const a = c.anchor;
    return (
      '<xdr:twoCellAnchor editAs="oneCell">' +
      `<xdr:from><xdr:col>${a.fromColumn}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${a.fromRow}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
      `<xdr:to><xdr:col>${a.toColumn}</xdr:col><xdr:colOff>${Math.round(a.toColumnOffsetPx * EMU_PER_PX)}</xdr:colOff>` +
      `<xdr:row>${a.toRow}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>` +
      `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="Chart ${i + 1}" descr="${escapeXml(c.title)}"/>` +
      '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
      '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">' +
      '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" ' +
      `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="${c.relId}"/>` +
      '</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>'
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ' +
    `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">${anchors.join('')}</xdr:wsDr>`
  );
}
