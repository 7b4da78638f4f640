// Types of the parts of project.mjs that TypeScript tests use.

export const ROOT: string
export function parseDotenv(text: string): Record<string, string>
