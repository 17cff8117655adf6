/** The part of madge's API (8.x, untyped) that test/unit/import-rules.test.ts uses. */
declare module 'madge' {
  interface MadgeConfig {
    fileExtensions?: string[];
    excludeRegExp?: RegExp[];
    tsConfig?: string | Record<string, unknown>;
  }
  interface MadgeResult {
    /** Each cycle as the list of files in it, relative to the common base directory. */
    circular(): string[][];
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
