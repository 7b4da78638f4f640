/**
 * Names holding a C0 or C1 control character or a bidi override or isolate, each refused as
 * a field error on `#/name` (checklist N09), even where trimming would have hidden it.
 */
export const CONTROL_CHARACTER_NAMES = [
  'nul\u0000byte',
  'two\nlines',
  'trailing newline\n',
  '\tleading tab',
  'escape \u001b[31mred',
  'delete\u007f',
  'next line\u0085',
  'c1 end\u009f',
  'invoice\u202Etxt.exe',
  'isolate\u2066x\u2069',
]

/** Names that are text, however unusual: accepted as they are. */
export const TEXT_NAMES = [
  'Zoë Ångström',
  '東京 📦',
  'family 👨\u200D👩\u200D👧',
  'עברית and English',
]
