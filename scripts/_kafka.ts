/**
 * The Apache Kafka broker of the Kafka tests: the jars of org.apache.kafka:kafka_2.13 and its
 * runtime dependencies, fetched from Maven Central into tools/kafka/jars (scripts/_maven.ts).
 * Java runs them: `java -cp "<jars>/*" kafka.Kafka server.properties`
 * (tests/_kafka_server.ts).
 *
 * @module
 */

import { ensureMavenJars, findJava as findJavaFor } from "./_maven.ts";
import { REPO_ROOT } from "./_repo.ts";

/** The Kafka release the tests run (KRaft only; needs Java 17 or newer). */
export const KAFKA_VERSION = "4.1.2";
/** The log4j release of KAFKA_VERSION: its SLF4J binding sends the broker's logs to log4j. */
const LOG4J_VERSION = "2.25.3";
/** The cache directory: a generated pom.xml, the jars, the stamp (all ignored by git). */
export const KAFKA_DIR = `${REPO_ROOT}/tools/kafka`;
/** Where the jars are. */
export const KAFKA_JARS = `${KAFKA_DIR}/jars`;

/** Options of ensureKafka(). */
export interface EnsureKafkaOptions {
  /** Progress lines. @default console.error */
  log?: (line: string) => void;
  /** Bound on the Maven run. @default 600000 */
  timeoutMs?: number;
}

/** The path of `java`; throws a clear Error when it is missing. */
export function findJava(): Promise<string> {
  return findJavaFor("the Kafka broker");
}

/**
 * Makes sure tools/kafka/jars holds Kafka KAFKA_VERSION with its runtime dependencies and
 * returns that directory: the broker's classpath is `<dir>/*`.
 */
export async function ensureKafka(options: EnsureKafkaOptions = {}): Promise<string> {
  await findJava();
  return await ensureMavenJars({
    dir: KAFKA_DIR,
    what: `Apache Kafka ${KAFKA_VERSION} jars`,
    dependencies: [
      { groupId: "org.apache.kafka", artifactId: "kafka_2.13", version: KAFKA_VERSION },
      {
        groupId: "org.apache.logging.log4j",
        artifactId: "log4j-slf4j-impl",
        version: LOG4J_VERSION,
      },
    ],
    marker: `kafka_2.13-${KAFKA_VERSION}.jar`,
    ...options,
  });
}

/** Runs ensureKafka() and prints the jars directory. */
if (import.meta.main) {
  console.log(await ensureKafka());
}
