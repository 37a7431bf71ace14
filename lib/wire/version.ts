/** The package version, reported as `telemetry.sdk.version`. A spec checks it against package.json. */
export const VERSION = "0.2.0";
