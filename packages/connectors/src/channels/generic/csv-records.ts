/** One CSV record with the physical line it starts on (1-based), so errors can point at it. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvReadResult {
  records: CsvRecord[];
  /** Structural problems (an unterminated quote, text after a closing quote). */
  errors: Array<{ line: number; message: string }>;
}

/**
 * RFC 4180 reader: comma separated, fields may be quoted, `""` inside quotes is one quote, quoted
 * fields may hold commas and line breaks, records end with CRLF or LF. A leading BOM is ignored.
 * Blank lines are skipped.
 */
export function readCsvRecords(text: string): CsvReadResult {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const errors: CsvReadResult['errors'] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let broken = false;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank && !broken) records.push({ line: recordLine, fields });
    fields = [];
    broken = false;
  };

  while (i < input.length) {
    const c = input[i]!;
    if (c === '"' && field === '') {
      // quoted field
      const start = line;
      i++;
      let closed = false;
      while (i < input.length) {
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      if (!closed) {
        errors.push({ line: start, message: 'Unterminated quoted field' });
        broken = true;
        break;
      }
      const next = input[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        errors.push({ line, message: 'Unexpected character after closing quote' });
        broken = true;
        while (i < input.length && input[i] !== '\n') i++;
      }
      continue;
    }
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' && input[i + 1] === '\n') {
      endRecord();
      i += 2;
      line++;
      recordLine = line;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i++;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { records, errors };
}
