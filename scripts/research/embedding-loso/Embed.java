import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** Embeds the "text" of every JSONL line: a big-endian int count, int dimension, then the floats. */
public class Embed {
    public static void main(String[] args) throws Exception {
        var model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        float[][] out = new float[lines.size()][];
        long t0 = System.nanoTime();
        IntStream.range(0, lines.size()).parallel().forEach(i -> {
            try {
                out[i] = model.embed(json.readTree(lines.get(i)).get("text").asText()).content().vector();
            } catch (Exception e) {
                throw new IllegalStateException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        });
        System.err.printf("%d texts, %.1f ms each (thread time, all cores)%n", lines.size(),
                (System.nanoTime() - t0) / 1e6 / lines.size() * Runtime.getRuntime().availableProcessors());
        try (DataOutputStream d = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(args[1])))) {
            d.writeInt(out.length);
            d.writeInt(out[0].length);
            for (float[] v : out) {
                for (float f : v) {
                    d.writeFloat(f);
                }
            }
        }
    }
}
