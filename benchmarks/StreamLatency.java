import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.threatmon.connectors.ConversationLogWriter;
import io.threatmon.connectors.ConversationRecord;
import io.threatmon.connectors.LogGenerator;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;

/**
 * Event-to-alert latency and the job's sustained throughput, against a running `threatmon stream`:
 * publishes generated conversations at a fixed rate, each stamped with its publish wall time as its
 * event time and given its own user (so throttling folds nothing); reads the alerts topic
 * read_committed and takes latency = time the alert is visible − the message's publish time; samples
 * the job's committed offsets (Flink commits them at each checkpoint) for lag and throughput.
 *
 *   java -cp cli/target/threatmon.jar benchmarks/StreamLatency.java --bootstrap-servers localhost:9092 \
 *       --input-topic bench-in --alerts-topic bench-alerts --group threatmon-stream-bench-in \
 *       --rate 500 --seconds 60 [--messages N] [--attack-rate 0.05] [--drain-timeout 120]
 * --rate 0 publishes as fast as the broker takes the messages (to measure the job's maximum rate).
 * Prints one line of key=value figures.
 */
public class StreamLatency {
  public static void main(String[] a) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < a.length; i += 2) o.put(a[i].replaceFirst("^--", ""), a[i + 1]);
    String bootstrap = req(o, "bootstrap-servers"), in = req(o, "input-topic"), alerts = req(o, "alerts-topic"), group = req(o, "group");
    double rate = Double.parseDouble(o.getOrDefault("rate", "500"));
    long seconds = Long.parseLong(o.getOrDefault("seconds", "60"));
    long messages = Long.parseLong(o.getOrDefault("messages", String.valueOf(rate > 0 ? (long) (rate * seconds) : 100_000)));
    double attackRate = Double.parseDouble(o.getOrDefault("attack-rate", "0.05"));
    long drainTimeoutMs = Long.parseLong(o.getOrDefault("drain-timeout", "180")) * 1000;
    String run = "bench" + Long.toString(System.currentTimeMillis(), 36);
    ObjectMapper json = new ObjectMapper();

    Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    List<TopicPartition> inParts = partitions(admin, in);
    Map<TopicPartition, Long> start = ends(admin, inParts);

    // Alerts consumer: from the current end, read_committed (exactly-once alerts appear at checkpoint commit).
    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("isolation.level", "read_committed");
    cp.put("key.deserializer", StringDeserializer.class.getName());
    cp.put("value.deserializer", StringDeserializer.class.getName());
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp);
    List<TopicPartition> alertParts = partitions(admin, alerts);
    consumer.assign(alertParts);
    consumer.seekToEnd(alertParts);
    alertParts.forEach(consumer::position);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          try {
            JsonNode n = json.readTree(r.value());
            if (n.path("message_id").asText("").startsWith(run)) latencies.add(now - Instant.parse(n.get("time").asText()).toEpochMilli());
          } catch (Exception e) { /* not one of ours */ }
        }
      }
    });
    reader.start();

    // Lag sampler: end offsets of the input vs the job's committed offsets, every 500 ms.
    List<long[]> samples = Collections.synchronizedList(new ArrayList<>()); // {time, committed, end}
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    long base = start.values().stream().mapToLong(Long::longValue).sum();
    sampler.scheduleAtFixedRate(() -> {
      try {
        long end = ends(admin, inParts).values().stream().mapToLong(Long::longValue).sum() - base;
        long committed = committed(admin, group, inParts, start) - base;
        samples.add(new long[] {System.currentTimeMillis(), committed, end});
      } catch (Exception e) { /* next sample */ }
    }, 0, 500, TimeUnit.MILLISECONDS);

    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("acks", "all");
    pp.put("enable.idempotence", "true");
    pp.put("linger.ms", "5");
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    long sent = 0;
    long t0 = System.currentTimeMillis();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      long interval = rate > 0 ? Math.round(1e9 / rate) : 0, next = System.nanoTime();
      long[] seq = {0};
      List<ConversationRecord> batch = new ArrayList<>();
      new LogGenerator(7, attackRate).generate(messages, batch::add);
      for (ConversationRecord r : batch) {
        if (interval > 0) { long w = next - System.nanoTime(); if (w > 0) LockSupport.parkNanos(w); next += interval; }
        r.timestamp = System.currentTimeMillis();
        r.messageId = run + "-" + (seq[0]++);
        r.user = run + "-u" + seq[0];
        producer.send(new ProducerRecord<>(in, r.conversationId, ConversationLogWriter.toJson(r)));
        sent++;
      }
      producer.flush();
    }
    long t1 = System.currentTimeMillis();
    // Drain: until the job has committed every published offset (then one more checkpoint for alerts).
    long drained = -1;
    while (System.currentTimeMillis() - t1 < drainTimeoutMs) {
      long[] last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
      if (last != null && last[1] >= sent) { drained = last[0]; break; }
      Thread.sleep(200);
    }
    Thread.sleep(Long.parseLong(o.getOrDefault("settle", "3")) * 1000);
    stop.set(true);
    reader.join();
    sampler.shutdownNow();
    consumer.close();
    admin.close();

    List<Long> lat = new ArrayList<>(latencies);
    Collections.sort(lat);
    long maxLag = 0;
    for (long[] s : samples) maxLag = Math.max(maxLag, s[2] - s[1]);
    // Job throughput: committed records per second between the first and the last commit that moved.
    long firstT = -1, firstC = 0, lastT = -1, lastC = 0;
    for (long[] s : samples) {
      if (s[1] > 0 && firstT < 0) { firstT = s[0]; firstC = s[1]; }
      if (s[1] > lastC) { lastT = s[0]; lastC = s[1]; }
    }
    double jobRate = lastT > firstT ? (lastC - firstC) * 1000.0 / (lastT - firstT) : Double.NaN;
    System.out.printf(Locale.ROOT,
        "target_rate=%s published=%d publish_rate=%.0f/s alerts=%d latency_ms_p50=%s p90=%s p99=%s max=%s max_lag=%d "
            + "drained_after_publish_s=%s job_rate=%.0f/s%n",
        rate > 0 ? String.format(Locale.ROOT, "%.0f/s", rate) : "unlimited", sent, sent * 1000.0 / Math.max(1, t1 - t0),
        lat.size(), pct(lat, 50), pct(lat, 90), pct(lat, 99), lat.isEmpty() ? "-" : lat.get(lat.size() - 1), maxLag,
        drained < 0 ? "not-drained" : String.format(Locale.ROOT, "%.1f", Math.max(0, drained - t1) / 1000.0), jobRate);
  }

  static String req(Map<String, String> o, String k) {
    String v = o.get(k);
    if (v == null) throw new IllegalArgumentException("--" + k + " is required");
    return v;
  }

  static String pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) return "-";
    return String.valueOf(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
  }

  static List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  static Map<TopicPartition, Long> ends(Admin admin, List<TopicPartition> parts) throws Exception {
    Map<TopicPartition, OffsetSpec> q = new HashMap<>();
    parts.forEach(p -> q.put(p, OffsetSpec.latest()));
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(q).all().get().forEach((p, r) -> out.put(p, r.offset()));
    return out;
  }

  /** The group's committed offsets summed; a partition it has not committed yet counts at its start offset. */
  static long committed(Admin admin, String group, List<TopicPartition> parts, Map<TopicPartition, Long> start) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    long sum = 0;
    for (TopicPartition p : parts) {
      OffsetAndMetadata m = c.get(p);
      sum += m == null ? start.get(p) : Math.max(m.offset(), start.get(p));
    }
    return sum;
  }
}
