"""The report's stylesheet: readable on screen, and prints cleanly on A4 or Letter (system fonts only)."""

from __future__ import annotations

from typing import Final

CSS: Final = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #111; margin: 0 auto; max-width: 186mm; padding: 8mm 4mm; }
header h1 { font-size: 18pt; margin: 0 0 2mm; }
header p { margin: 0 0 4mm; color: #333; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; margin: 6mm 0 2mm; padding-bottom: 1mm; }
h3 { font-size: 10pt; margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; }
th, td { border-bottom: 1px solid #ddd; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #f2f2f2; font-weight: 600; }
table.kv td:first-child { width: 45mm; color: #444; }
table.kv thead { display: none; }
table.narrow { width: auto; }
table.small { font-size: 8.5pt; }
small { color: #444; }
svg { display: block; width: 100%; height: auto; margin: 2mm 0; }
.signal, .flags { background: #f5f7fa; border-left: 3px solid #1f4e9c; padding: 2mm 3mm; }
.flags { border-left-color: #b3261e; }
li.note { margin-bottom: 1.5mm; }
.k { display: inline-block; width: 8mm; height: 0; border-top: 2px solid #1f4e9c; vertical-align: middle; }
.k.movement { border-top: 2px dashed #2e7d32; }
ol.events { font-size: 9pt; margin: 0; }
.photos { display: grid; grid-template-columns: repeat(5, 1fr); gap: 3mm; }
.pose { break-inside: avoid; }
figure { margin: 0 0 1mm; }
figure img { width: 100%; height: auto; display: block; border: 1px solid #ccc; }
figure.none div { border: 1px dashed #bbb; color: #777; font-size: 8pt; text-align: center;
                  padding: 8mm 1mm; }
figcaption { font-size: 8pt; color: #444; }
section { break-inside: auto; }
h2, h3, tr, figure, svg { break-inside: avoid; break-after: avoid-page; }
@media print {
  body { padding: 0; max-width: none; }
  a { color: inherit; text-decoration: none; }
}
"""
