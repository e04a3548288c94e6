package io.threatmon.cli;

import io.threatmon.connectors.FieldMapping;
import picocli.CommandLine.Option;

/**
 * The {@code --*-field} flags that map a log's field names onto a conversation record, shared by
 * the commands that read logs ({@code audit}, {@code stream}).
 */
final class FieldMappingOptions {

    @Option(names = "--text-field", paramLabel = "NAME", description = "Input field holding the message text (default text).")
    String textField;
    @Option(names = "--timestamp-field", paramLabel = "NAME") String timestampField;
    @Option(names = "--conversation-field", paramLabel = "NAME") String conversationField;
    @Option(names = "--message-field", paramLabel = "NAME") String messageField;
    @Option(names = "--role-field", paramLabel = "NAME") String roleField;
    @Option(names = "--user-field", paramLabel = "NAME") String userField;
    @Option(names = "--app-field", paramLabel = "NAME") String appField;
    @Option(names = "--model-field", paramLabel = "NAME") String modelField;

    /** The default mapping with every field given on the command line. */
    FieldMapping mapping() {
        FieldMapping m = FieldMapping.defaults();
        String[][] fields = {{"text", textField}, {"timestamp", timestampField}, {"conversation_id", conversationField},
            {"message_id", messageField}, {"role", roleField}, {"user", userField}, {"app", appField}, {"model", modelField}};
        for (String[] f : fields) {
            if (f[1] != null) {
                m = m.with(f[0], f[1]);
            }
        }
        return m;
    }
}
