package io.threatmon.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.jobs.StreamMain;
import io.threatmon.jobs.StreamOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The repository's {@code docker-compose.yml}, checked without a Docker engine: its services and
 * their order, images pinned to the Flink and Kafka versions on our classpath, ports, and the job
 * and generator arguments parsed by the very code that will read them ({@link StreamMain#parse},
 * the {@code threatmon generate} command line).
 */
class DockerComposeTest {

    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Path file = Path.of("..", "docker-compose.yml");
        try (InputStream in = Files.newInputStream(file)) {
            compose = new Yaml().load(in);
        }
        services = (Map<String, Object>) compose.get("services");
        assertNotNull(services, "docker-compose.yml has services");
    }

    @Test
    void shouldDefineTheClusterServices() {
        assertEquals(Set.of("kafka", "topics", "checkpoints-init", "jobmanager", "taskmanager", "submit-job", "generator"),
                services.keySet());
    }

    @Test
    void shouldPinImagesToTheVersionsWeBuildAgainst() {
        String flink = EnvironmentInformation.getVersion();
        String kafka = AppInfoParser.getVersion();
        assertTrue(flink.matches("\\d+\\.\\d+\\.\\d+"), "Flink version on the classpath: " + flink);
        assertTrue(kafka.matches("\\d+\\.\\d+\\.\\d+"), "Kafka version on the classpath: " + kafka);
        for (String s : List.of("kafka", "topics")) {
            assertEquals("apache/kafka:" + kafka, service(s).get("image"), s);
        }
        for (String s : List.of("checkpoints-init", "jobmanager", "taskmanager", "submit-job")) {
            assertEquals("flink:" + flink + "-java" + Runtime.version().feature(), service(s).get("image"), s);
        }
        assertEquals("eclipse-temurin:" + Runtime.version().feature() + "-jre", service("generator").get("image"));
    }

    @Test
    void shouldStartEachServiceAfterWhatItNeeds() {
        assertEquals(Map.of("kafka", "service_healthy"), dependsOn("topics"));
        assertEquals(Map.of("checkpoints-init", "service_completed_successfully"), dependsOn("jobmanager"));
        assertEquals(Map.of("jobmanager", "service_healthy"), dependsOn("taskmanager"));
        assertEquals(Map.of("jobmanager", "service_healthy", "taskmanager", "service_started",
                "topics", "service_completed_successfully"), dependsOn("submit-job"));
        assertEquals(Map.of("topics", "service_completed_successfully"), dependsOn("generator"));
        for (String s : List.of("kafka", "jobmanager")) {
            assertNotNull(service(s).get("healthcheck"), s + " needs a healthcheck: others wait for service_healthy");
        }
    }

    @Test
    void shouldPublishKafkaAndTheFlinkUiOnTheHost() {
        assertEquals(List.of("9092:9092"), service("kafka").get("ports"));
        assertEquals(List.of("8081:8081"), service("jobmanager").get("ports"));
    }

    @Test
    void shouldConfigureAValidSingleNodeKraftBroker() {
        Map<String, Object> env = env("kafka");
        assertDoesNotThrow(() -> Uuid.fromString(String.valueOf(env.get("CLUSTER_ID"))), "CLUSTER_ID must be a Kafka Uuid");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
        assertTrue(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("INTERNAL://kafka:19092"));
        long maxTxMs = Long.parseLong(String.valueOf(env.get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS")));
        StreamOptions job = StreamMain.parse(jobArguments());
        assertTrue(job.transactionTimeout().toMillis() <= maxTxMs,
                "the job's transaction.timeout.ms must not exceed the broker's transaction.max.timeout.ms");
    }

    @Test
    void shouldSubmitTheStreamJobWithFlagsItUnderstands() {
        List<String> command = command("submit-job");
        assertEquals(List.of("flink", "run", "-d", "-m", "jobmanager:8081", "-c", StreamMain.class.getName(),
                "/opt/threatmon/threatmon-jobs.jar"), command.subList(0, 8));
        assertTrue(volumes("submit-job").contains("./jobs/target/threatmon-jobs.jar:/opt/threatmon/threatmon-jobs.jar:ro"));
        String[] args = jobArguments();
        for (String a : args) {
            if (a.startsWith("--")) {
                assertTrue(StreamOptions.FLAGS.contains(a.substring(2)), a + " is not a flag of the stream job: "
                        + StreamOptions.FLAGS);
            }
        }
        StreamOptions o = StreamMain.parse(args);
        assertEquals("kafka:19092", o.bootstrapServers());
        // a resubmission must not score the whole topic again and repeat its alerts
        assertEquals(StreamOptions.StartingOffsets.COMMITTED, o.startingOffsets());
        Set<String> created = createdTopics();
        for (String topic : List.of(o.inputTopic(), o.alertsTopic(), o.reportsTopic(), o.deadLetterTopic())) {
            assertTrue(created.contains(topic), "topic " + topic + " is created by the topics service: " + created);
        }
        assertTrue(o.parallelism() <= 2 * (Integer) ((Map<?, ?>) service("taskmanager").get("deploy")).get("replicas"),
                "enough task slots (2 per TaskManager) for the job's parallelism");
    }

    @Test
    void shouldGenerateTrafficWithFlagsTheCliUnderstandsIntoTheJobsInputTopic() {
        List<String> command = command("generator");
        assertEquals(List.of("java", "-jar", "/opt/threatmon/threatmon.jar"), command.subList(0, 3));
        assertTrue(volumes("generator").contains("./cli/target/threatmon.jar:/opt/threatmon/threatmon.jar:ro"));
        String[] args = command.subList(3, command.size()).toArray(String[]::new);
        CliContext ctx = new CliContext(InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Map.of());
        CommandLine.ParseResult parsed = Main.commandLine(ctx).parseArgs(args);
        CommandLine.ParseResult generate = parsed.subcommand();
        assertEquals("generate", generate.commandSpec().name());
        assertTrue(generate.hasMatchedOption("--to-kafka"));
        StreamOptions job = StreamMain.parse(jobArguments());
        assertEquals(job.inputTopic(), generate.matchedOptionValue("--topic", ""));
        assertEquals(job.bootstrapServers(), generate.matchedOptionValue("--bootstrap-servers", ""));
    }

    @Test
    void shouldShipTheKafkaConnectorInTheJobJarBecauseTheFlinkImageHasNone() throws IOException {
        Path jar = Path.of("..", "jobs", "target", "threatmon-jobs.jar");
        Assumptions.assumeTrue(Files.exists(jar), "jobs/target/threatmon-jobs.jar is built by `mvn package` of jobs");
        try (JarFile j = new JarFile(jar.toFile())) {
            for (Class<?> c : List.of(KafkaSource.class, KafkaSink.class, KafkaProducer.class, StreamMain.class)) {
                assertNotNull(j.getEntry(c.getName().replace('.', '/') + ".class"), c.getName() + " in " + jar);
            }
            assertNull(j.getEntry(StreamExecutionEnvironment.class.getName().replace('.', '/') + ".class"),
                    "Flink's own classes come from the cluster, not the job jar");
        }
    }

    private static String[] jobArguments() {
        List<String> command = command("submit-job");
        return command.subList(command.indexOf("/opt/threatmon/threatmon-jobs.jar") + 1, command.size()).toArray(String[]::new);
    }

    /** Topic names the topics service creates (its loop over NAME:PARTITIONS pairs). */
    private static Set<String> createdTopics() {
        String script = String.join("\n", command("topics"));
        Matcher m = Pattern.compile("for t in ([^;]+);").matcher(script);
        assertTrue(m.find(), "topics service loops over NAME:PARTITIONS pairs");
        Set<String> names = new HashSet<>();
        for (String pair : m.group(1).trim().split("\\s+")) {
            names.add(pair.substring(0, pair.indexOf(':')));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Map<String, Object> s = (Map<String, Object>) services.get(name);
        assertNotNull(s, "service " + name);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(String name) {
        return (Map<String, Object>) service(name).get("environment");
    }

    private static List<String> command(String name) {
        Object c = service(name).get("command");
        assertTrue(c instanceof List, name + ": command as a list, so arguments survive without shell quoting");
        List<String> out = new ArrayList<>();
        ((List<?>) c).forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    private static List<?> volumes(String name) {
        return (List<?>) service(name).get("volumes");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(String name) {
        Map<String, Map<String, Object>> d = (Map<String, Map<String, Object>>) service(name).get("depends_on");
        assertNotNull(d, name + " has depends_on");
        Map<String, String> out = new java.util.TreeMap<>();
        d.forEach((k, v) -> {
            assertTrue(services.containsKey(k), name + " depends on an undefined service " + k);
            out.put(k, String.valueOf(v.get("condition")));
        });
        return out;
    }
}
