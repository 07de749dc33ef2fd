/**
 * The Arrow Flight SQL JDBC driver of the Flight tests (org.apache.arrow:flight-sql-jdbc-driver,
 * one shaded jar), fetched from Maven Central into tools/flight-jdbc/jars (scripts/_maven.ts).
 *
 * @module
 */

import { ensureMavenJars } from "./_maven.ts";
import { REPO_ROOT } from "./_repo.ts";

/** The driver release (the newest Maven Central serves here; Java 11 or newer). */
export const FLIGHT_JDBC_VERSION = "18.3.0";

/** Makes sure the driver's jar is there; returns the path of the jar. */
export async function ensureFlightJdbc(
  options: { log?: (line: string) => void; timeoutMs?: number } = {},
): Promise<string> {
  const jar = `flight-sql-jdbc-driver-${FLIGHT_JDBC_VERSION}.jar`;
  const jars = await ensureMavenJars({
    dir: `${REPO_ROOT}/tools/flight-jdbc`,
    what: `the Arrow Flight SQL JDBC driver ${FLIGHT_JDBC_VERSION}`,
    dependencies: [{
      groupId: "org.apache.arrow",
      artifactId: "flight-sql-jdbc-driver",
      version: FLIGHT_JDBC_VERSION,
    }],
    marker: jar,
    transitive: false,
    ...options,
  });
  return `${jars}/${jar}`;
}

if (import.meta.main) {
  console.log(await ensureFlightJdbc());
}
