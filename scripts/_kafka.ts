/**
 * The Apache Kafka broker of the Kafka tests: the jars of org.apache.kafka:kafka_2.13 and its
 * runtime dependencies, fetched from Maven Central by Maven into tools/kafka/jars (with a
 * generated tools/kafka/pom.xml) and stamped, so that a second call does nothing. Java runs
 * them: `java -cp "<jars>/*" kafka.Kafka server.properties` (tests/_kafka_server.ts).
 *
 * @module
 */

import { findCommand } from "./_debian.ts";
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

/** The pom whose runtime dependencies are the broker's classpath; also the stamp's text. */
function pom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/_kafka.ts: the jars of the Kafka broker that the tests run. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>polaroid.tools</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>${LOG4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

const GITIGNORE = `# Written by scripts/_kafka.ts: the pom.xml, the jars it fetched, their stamp.
*
!.gitignore
`;

/** The path of `java`; throws a clear Error when it is missing. */
export async function findJava(): Promise<string> {
  const java = await findCommand("java");
  if (!java) {
    throw new Error(
      "Cannot run the Kafka broker as java is missing: install a Java 17 runtime " +
        "(`apt-get install openjdk-17-jre-headless`)",
    );
  }
  return java;
}

async function isInstalled(stamp: string, wanted: string): Promise<boolean> {
  const installed = await Deno.readTextFile(stamp).catch(() => "");
  if (installed !== wanted) return false;
  try {
    return (await Deno.stat(`${KAFKA_JARS}/kafka_2.13-${KAFKA_VERSION}.jar`)).isFile;
  } catch {
    return false;
  }
}

/**
 * Makes sure tools/kafka/jars holds Kafka KAFKA_VERSION with its runtime dependencies (running
 * `mvn dependency:copy-dependencies` when the stamp differs from the wanted pom) and returns
 * that directory: the broker's classpath is `<dir>/*`. Safe to call from concurrent processes
 * (a file lock serialises them).
 */
export async function ensureKafka(options: EnsureKafkaOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.timeoutMs ?? 600_000;
  const wanted = pom();
  const stamp = `${KAFKA_DIR}/.installed`;
  await findJava();
  if (await isInstalled(stamp, wanted)) return KAFKA_JARS;
  await Deno.mkdir(KAFKA_DIR, { recursive: true });
  await Deno.writeTextFile(`${KAFKA_DIR}/.gitignore`, GITIGNORE);
  using lock = await Deno.open(`${KAFKA_DIR}/.lock`, { create: true, write: true });
  await lock.lock(true);
  // Another process may have installed it while this one waited for the lock.
  if (await isInstalled(stamp, wanted)) return KAFKA_JARS;
  const mvn = await findCommand("mvn");
  if (!mvn) {
    throw new Error(
      "Cannot fetch the Kafka broker's jars as mvn is missing: `apt-get install maven`",
    );
  }
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central (tools/kafka/jars)…`);
  const started = Date.now();
  await Deno.writeTextFile(`${KAFKA_DIR}/pom.xml`, wanted);
  const staging = `${KAFKA_DIR}/jars.partial`;
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(mvn, {
      args: [
        "-q",
        "-B",
        "-f",
        `${KAFKA_DIR}/pom.xml`,
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        `-DoutputDirectory=${staging}`,
      ],
      cwd: KAFKA_DIR,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch (error) {
    throw new Error(`Cannot fetch the Kafka broker's jars as mvn could not run: ${error}`);
  }
  if (!out.success) {
    const decoder = new TextDecoder();
    const text = `${decoder.decode(out.stdout)}\n${decoder.decode(out.stderr)}`
      .split("\n").filter((line) => line.trim() !== "").slice(-15).join("\n");
    const why = out.signal ? `was stopped by ${out.signal} (timeout ${timeoutMs} ms?)` : `failed`;
    throw new Error(
      `Cannot fetch the Kafka broker's jars as 'mvn dependency:copy-dependencies' ${why} ` +
        `(exit ${out.code}) in ${KAFKA_DIR}:\n${text}`,
    );
  }
  await Deno.remove(KAFKA_JARS, { recursive: true }).catch(() => {});
  await Deno.rename(staging, KAFKA_JARS);
  await Deno.writeTextFile(stamp, wanted);
  let count = 0;
  for await (const entry of Deno.readDir(KAFKA_JARS)) if (entry.name.endsWith(".jar")) count++;
  log(`fetched ${count} jars of Kafka ${KAFKA_VERSION} in ${Date.now() - started} ms`);
  return KAFKA_JARS;
}

/** Runs ensureKafka() and prints the jars directory. */
if (import.meta.main) {
  console.log(await ensureKafka());
}
