import com.sun.net.httpserver.HttpServer;
import io.threatmon.connectors.sink.AlertSinks;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.*;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
/**
 * Alert-sink writer throughput to loopback receivers (one writer, one thread, what one Flink subtask does):
 * java -Dsun.net.httpserver.nodelay=true -cp cli/target/threatmon.jar benchmarks/SinkBench.java [EVENTS]
 * (nodelay: the JDK's test HTTP server otherwise waits 40 ms per response on Nagle + delayed ACK, measuring itself.)
 */
public class SinkBench { public static void main(String[] a) throws Exception {
  int n = a.length > 0 ? Integer.parseInt(a[0]) : 100_000;
  String cef = "<34>1 2026-03-04T12:34:56.789Z audit-1 threatmon 4711 PROMPT_INJECTION [threatmon@32473 rule=\"pi.ignore_previous\" risk=\"92\"] "
      + "CEF:0|ThreatMon|LLM Audit|1.0.0|pi.ignore_previous|Prompt injection detected|9|rt=1772627696789 cat=prompt_injection suser=alice cn1Label=riskScore cn1=92 msg=ignore previous instructions";
  String hec = "{\"time\":1772627696.789,\"source\":\"threatmon\",\"sourcetype\":\"threatmon:alert\",\"event\":{\"risk_score\":92,\"severity\":\"critical\",\"conversation_id\":\"conv-42\",\"excerpt\":\"ignore previous instructions\"}}";
  WriterInitContext ctx = (WriterInitContext) Proxy.newProxyInstance(SinkBench.class.getClassLoader(), new Class<?>[] {WriterInitContext.class},
      (p, m, args) -> switch (m.getName()) {
        case "metricGroup" -> UnregisteredMetricsGroup.createSinkWriterMetricGroup();
        case "getProcessingTimeService" -> null; // no batch timer: batches go out by size and on flush
        default -> throw new UnsupportedOperationException(m.getName());
      });
  ServerSocket syslog = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  AtomicLong received = new AtomicLong();
  Thread reader = new Thread(() -> { try (Socket s = syslog.accept(); InputStream in = s.getInputStream()) {
      byte[] b = new byte[1 << 16]; for (int r; (r = in.read(b)) > 0; ) received.addAndGet(r); } catch (Exception e) { throw new RuntimeException(e); } });
  reader.start();
  time("syslog+tcp", n, AlertSinks.parse("syslog+tcp://127.0.0.1:" + syslog.getLocalPort()).createSink().createWriter(ctx), cef);
  reader.join();
  System.out.printf("  (receiver got %,d bytes)%n", received.get());
  HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  http.setExecutor(Executors.newFixedThreadPool(2));
  http.createContext("/", x -> { x.getRequestBody().readAllBytes(); x.sendResponseHeaders(200, 2); x.getResponseBody().write("{}".getBytes()); x.close(); });
  http.start();
  for (int batch : new int[] {1, 10, 100}) {
    String uri = "hec://127.0.0.1:" + http.getAddress().getPort() + "?token=t&batch=" + batch;
    time("hec batch=" + batch, batch == 1 ? Math.min(n, 5_000) : n, AlertSinks.parse(uri).createSink().createWriter(ctx), hec);
  }
  http.stop(0);
  System.exit(0);
}
static void time(String name, int n, SinkWriter<String> w, String event) throws Exception {
  for (int i = 0; i < Math.min(n, 2_000); i++) w.write(event, null); // warm-up, delivered too
  w.flush(false);
  long t0 = System.nanoTime();
  for (int i = 0; i < n; i++) w.write(event, null);
  w.flush(true);
  double s = (System.nanoTime() - t0) / 1e9;
  w.close();
  System.out.printf("%-14s %,9d events %6.2f s %,10.0f events/s%n", name, n, s, n / s);
}}
