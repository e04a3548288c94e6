import io.threatmon.engine.model.*;
import java.nio.file.*;
import java.util.*;
/** Feature extraction cost per character: java -cp cli/target/threatmon.jar benchmarks/FeatureBench.java ../shared/datasets/dev.jsonl */
public class FeatureBench { public static void main(String[] a) throws Exception {
  var T = java.lang.management.ManagementFactory.getThreadMXBean();
  var om = new com.fasterxml.jackson.databind.ObjectMapper();
  List<String> texts = new ArrayList<>();
  for (String l : Files.readAllLines(Path.of(a[0]))) texts.add(ModelDetector.trainingText(om.readTree(l).get("text").asText()));
  FeatureHasher h = new FeatureHasher(FeatureConfig.DEFAULT);
  FeatureHasher.Accumulator acc = new FeatureHasher.Accumulator();
  LinearModel m = ModelDetector.bundled().model();
  double sink = 0; long chars = 0;
  for (int r = 0; r < 5; r++) for (String t : texts) { acc.clear(); h.accumulate(t, 0, t.length(), acc); sink += m.decision(acc); }
  for (String t : texts) chars += t.length();
  long t0 = T.getCurrentThreadCpuTime(); long n = 0;
  for (int r = 0; r < 5; r++) for (String t : texts) { acc.clear(); h.accumulate(t, 0, t.length(), acc); n += acc.size(); }
  long t1 = T.getCurrentThreadCpuTime();
  for (int r = 0; r < 5; r++) for (String t : texts) { acc.clear(); h.accumulate(t, 0, t.length(), acc); sink += m.decision(acc); }
  long t2 = T.getCurrentThreadCpuTime();
  System.out.printf("accumulate: %.1f ns/char; +dot: %.1f ns/char; unique/char %.2f%n", (t1-t0)/(5.0*chars), (t2-t1)/(5.0*chars), n/(5.0*chars));
  if (sink == 1) System.out.println();
}}
