export declare const EMBEDDED_HEAP_MB: number;
export declare function serverNodeFlags(env?: NodeJS.ProcessEnv): string[];
