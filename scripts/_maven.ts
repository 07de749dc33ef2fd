/**
 * Jars from Maven Central for the tests' Java programs (the Kafka broker, the Flight SQL JDBC
 * driver): a generated pom.xml whose runtime dependencies Maven copies into `<dir>/jars`,
 * stamped with the pom, so that a second call does nothing. Safe to call from concurrent
 * processes (a file lock serialises them).
 *
 * @module
 */

import { findCommand } from "./_debian.ts";

/** Options of ensureMavenJars(). */
export interface MavenJarsOptions {
  /** The cache directory: the pom.xml, the jars, the stamp (all ignored by git). */
  dir: string;
  /** What is fetched, for messages ("the Kafka broker's jars"). */
  what: string;
  /** The `<dependency>` elements of the pom. */
  dependencies: ReadonlyArray<{ groupId: string; artifactId: string; version: string }>;
  /** A jar whose presence shows the copy is complete (a file name in `<dir>/jars`). */
  marker: string;
  /** Also copy the dependencies' dependencies. @default true */
  transitive?: boolean;
  /** Progress lines. @default console.error */
  log?: (line: string) => void;
  /** Bound on the Maven run. @default 600000 */
  timeoutMs?: number;
}

/** The path of `java`; throws a clear Error naming `what` when it is missing. */
export async function findJava(what: string): Promise<string> {
  const java = await findCommand("java");
  if (!java) {
    throw new Error(
      `Cannot run ${what} as java is missing: install a Java 17 runtime ` +
        "(`apt-get install openjdk-17-jre-headless`)",
    );
  }
  return java;
}

/** The pom whose runtime dependencies are the jars; also the stamp's text. */
function pom(options: MavenJarsOptions): string {
  const dependencies = options.dependencies.map((d) =>
    `    <dependency>
      <groupId>${d.groupId}</groupId>
      <artifactId>${d.artifactId}</artifactId>
      <version>${d.version}</version>
    </dependency>`
  ).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/_maven.ts: ${options.what}. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>polaroid.tools</groupId>
  <artifactId>jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
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

const GITIGNORE = `# Written by scripts/_maven.ts: the pom.xml, the jars it fetched, their stamp.
*
!.gitignore
`;

async function isInstalled(stamp: string, wanted: string, marker: string): Promise<boolean> {
  const installed = await Deno.readTextFile(stamp).catch(() => "");
  if (installed !== wanted) return false;
  try {
    return (await Deno.stat(marker)).isFile;
  } catch {
    return false;
  }
}

/**
 * Makes sure `<dir>/jars` holds the dependencies (running `mvn dependency:copy-dependencies`
 * when the stamp differs from the wanted pom) and returns that directory: a classpath is
 * `<dir>/jars/*`.
 */
export async function ensureMavenJars(options: MavenJarsOptions): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.timeoutMs ?? 600_000;
  const { dir, what } = options;
  const jars = `${dir}/jars`;
  const wanted = pom(options);
  const stamp = `${dir}/.installed`;
  const marker = `${jars}/${options.marker}`;
  if (await isInstalled(stamp, wanted, marker)) return jars;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/.gitignore`, GITIGNORE);
  using lock = await Deno.open(`${dir}/.lock`, { create: true, write: true });
  await lock.lock(true);
  // Another process may have installed them while this one waited for the lock.
  if (await isInstalled(stamp, wanted, marker)) return jars;
  const mvn = await findCommand("mvn");
  if (!mvn) throw new Error(`Cannot fetch ${what} as mvn is missing: \`apt-get install maven\``);
  log(`fetching ${what} from Maven Central (${dir})…`);
  const started = Date.now();
  await Deno.writeTextFile(`${dir}/pom.xml`, wanted);
  const staging = `${dir}/jars.partial`;
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(mvn, {
      args: [
        "-q",
        "-B",
        "-f",
        `${dir}/pom.xml`,
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        `-DexcludeTransitive=${options.transitive === false}`,
        `-DoutputDirectory=${staging}`,
      ],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch (error) {
    throw new Error(`Cannot fetch ${what} as mvn could not run: ${error}`);
  }
  if (!out.success) {
    const decoder = new TextDecoder();
    const text = `${decoder.decode(out.stdout)}\n${decoder.decode(out.stderr)}`
      .split("\n").filter((line) => line.trim() !== "").slice(-15).join("\n");
    const why = out.signal ? `was stopped by ${out.signal} (timeout ${timeoutMs} ms?)` : `failed`;
    throw new Error(
      `Cannot fetch ${what} as 'mvn dependency:copy-dependencies' ${why} ` +
        `(exit ${out.code}) in ${dir}:\n${text}`,
    );
  }
  await Deno.remove(jars, { recursive: true }).catch(() => {});
  await Deno.rename(staging, jars);
  await Deno.writeTextFile(stamp, wanted);
  let count = 0;
  for await (const entry of Deno.readDir(jars)) if (entry.name.endsWith(".jar")) count++;
  log(`fetched ${count} jars (${what}) in ${Date.now() - started} ms`);
  return jars;
}
