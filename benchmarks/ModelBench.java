import io.threatmon.engine.*;
import io.threatmon.engine.model.*;
import java.nio.file.*;
import java.util.*;
/**
 * Per-message cost of the model, the rules and both, in this thread's CPU time (so other processes on a shared
 * machine do not inflate it; their cache pressure still does):
 * java -cp cli/target/threatmon.jar benchmarks/ModelBench.java ../shared/datasets/dev.jsonl [MODEL_FILE]
 */
public class ModelBench {
  static final java.lang.management.ThreadMXBean T = java.lang.management.ManagementFactory.getThreadMXBean();
  static long cpu() { return T.getCurrentThreadCpuTime(); }
  public static void main(String[] a) throws Exception {
  var om = new com.fasterxml.jackson.databind.ObjectMapper();
  List<String> texts = new ArrayList<>();
  for (String l : Files.readAllLines(Path.of(a[0]))) texts.add(om.readTree(l).get("text").asText());
  long chars = texts.stream().mapToLong(String::length).sum();
  ModelDetector m = a.length > 1 ? ModelDetector.fromPath(Path.of(a[1])) : ModelDetector.bundled();
  ThreatClient both = ThreatClient.builder().model(true).cacheSize(0).logDetections(false).build();
  ThreatClient rules = ThreatClient.builder().model(false).cacheSize(0).logDetections(false).build();
  double sink = 0;
  for (int r = 0; r < 3; r++) { for (String t : texts) { sink += m.decision(t); both.analyze(t); rules.analyze(t);} }
  List<List<io.threatmon.engine.text.TextView>> views = new ArrayList<>();
  for (String t : texts) views.add(io.threatmon.engine.text.TextViews.of(t));
  for (int r = 0; r < 3; r++) for (int i = 0; i < texts.size(); i++) sink += m.detect(texts.get(i), views.get(i), Direction.PROMPT).size();
  int reps = 5;
  long v0 = cpu(); for (int r = 0; r < reps; r++) for (int i = 0; i < texts.size(); i++) sink += m.detect(texts.get(i), views.get(i), Direction.PROMPT).size();
  long v1 = cpu();
  long w0 = cpu(); for (int r = 0; r < reps; r++) for (String t : texts) sink += io.threatmon.engine.text.TextViews.of(t).size();
  long w1 = cpu();
  long t0 = cpu(); for (int r = 0; r < reps; r++) for (String t : texts) sink += m.decision(t);
  long t1 = cpu(); for (int r = 0; r < reps; r++) for (String t : texts) sink += both.analyze(t).riskScore();
  long t2 = cpu(); for (int r = 0; r < reps; r++) for (String t : texts) sink += rules.analyze(t).riskScore();
  long t3 = cpu();
  int n = texts.size() * reps;
  System.out.printf("%d texts, mean %d chars; per message, one thread, warm, thread CPU time:%n", texts.size(), chars / texts.size());
  System.out.printf("  model alone (views + features + dot product): %.1f us%n", (t1 - t0) / 1e3 / n);
  System.out.printf("  model detector on precomputed views:          %.1f us%n", (v1 - v0) / 1e3 / n);
  System.out.printf("  text views alone (TextViews.of):              %.1f us%n", (w1 - w0) / 1e3 / n);
  System.out.printf("  rules + model (--model):                      %.1f us%n", (t2 - t1) / 1e3 / n);
  System.out.printf("  rules alone:                                  %.1f us%n", (t3 - t2) / 1e3 / n);
  String s = texts.stream().filter(x -> x.length() < 300).findFirst().get();
  long t4 = cpu(); for (int r = 0; r < 20000; r++) sink += m.decision(s); long t5 = cpu();
  System.out.printf("  model alone on a %d-char prompt:              %.1f us%n", s.length(), (t5 - t4) / 1e3 / 20000);
  // per-call distribution on ~1 KB texts (model detector on precomputed views), for the p99 budget
  List<Integer> kb = new ArrayList<>();
  for (int i = 0; i < texts.size(); i++) if (texts.get(i).length() >= 900 && texts.get(i).length() <= 1100) kb.add(i);
  long[] calls = new long[kb.size() * 20];
  int c = 0;
  for (int r = 0; r < 20; r++) for (int i : kb) { long q0 = cpu(); sink += m.detect(texts.get(i), views.get(i), Direction.PROMPT).size(); calls[c++] = cpu() - q0; }
  Arrays.sort(calls);
  System.out.printf("  model detector, %d texts of 900-1100 chars: p50 %.1f us, p99 %.1f us%n", kb.size(),
      calls[calls.length / 2] / 1e3, calls[(int) (calls.length * 0.99)] / 1e3);
  if (sink == 42) System.out.println();
}}
