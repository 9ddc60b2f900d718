/**
 * Rows of cells as lines of aligned columns, two spaces apart; the last column is not padded.
 * Widths count code points.
 *
 * @internal
 * @param rows - the rows, the header first if there is one.
 * @returns the lines, each ending with a newline.
 */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, [...cell].length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell + " ".repeat((widths[column] ?? 0) - [...cell].length)))
        .join("  ")
        .concat("\n"),
    )
    .join("");
}
