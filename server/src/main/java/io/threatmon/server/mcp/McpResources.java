package io.threatmon.server.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.threatmon.engine.Version;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.server.Policies;
import io.threatmon.server.RuleDocuments;
import io.threatmon.server.ServerJson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MCP resources, as upstream: {@code rules://index} (JSON), {@code rules://category/{category}}
 * and {@code rules://rule/{rule_id}} (rule-file YAML), {@code policy://template/{name}} (strict,
 * balanced, permissive; YAML). The index, the categories and the policies are also listed as
 * concrete resources so clients that do not expand templates can find them.
 */
final class McpResources {

    static final String INDEX = "rules://index";
    static final String CATEGORY = "rules://category/";
    static final String RULE = "rules://rule/";
    static final String POLICY = "policy://template/";
    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";

    private final RuleSet rules;

    McpResources(RuleSet rules) {
        this.rules = rules;
    }

    List<SyncResourceSpecification> resources() {
        List<SyncResourceSpecification> out = new ArrayList<>();
        out.add(new SyncResourceSpecification(Resource.builder(INDEX, "rules-index")
                .title("ThreatMon rule index").mimeType(JSON)
                .description("Packs, categories and every rule (id, name, category, severity, risk, tags) in use.")
                .build(), (ex, req) -> read(req.uri())));
        for (String c : RuleDocuments.categoryCounts(rules).keySet()) {
            out.add(new SyncResourceSpecification(Resource.builder(CATEGORY + c, "rules-" + c)
                    .title("Rules: " + c).mimeType(YAML).description("The " + c + " rules as a rule pack (YAML).")
                    .build(), (ex, req) -> read(req.uri())));
        }
        for (String p : Policies.NAMES) {
            out.add(new SyncResourceSpecification(Resource.builder(POLICY + p, "policy-" + p)
                    .title("Policy template: " + p).mimeType(YAML)
                    .description("Threshold and actions of the " + p + " policy, and how to apply it.")
                    .build(), (ex, req) -> read(req.uri())));
        }
        return out;
    }

    List<SyncResourceTemplateSpecification> templates() {
        return List.of(
                new SyncResourceTemplateSpecification(ResourceTemplate.builder(CATEGORY + "{category}", "rules-by-category")
                        .title("Rules of a category").mimeType(YAML)
                        .description("Every rule of one category (" + String.join(", ", rules.categories())
                                + ") as a rule pack.").build(), (ex, req) -> read(req.uri())),
                new SyncResourceTemplateSpecification(ResourceTemplate.builder(RULE + "{rule_id}", "rule")
                        .title("One rule").mimeType(YAML)
                        .description("One rule in the rule-file format: patterns, requires/unless, tags, examples.")
                        .build(), (ex, req) -> read(req.uri())),
                new SyncResourceTemplateSpecification(ResourceTemplate.builder(POLICY + "{name}", "policy-template")
                        .title("Policy template").mimeType(YAML)
                        .description("Threshold and actions: " + String.join(", ", Policies.NAMES) + ".")
                        .build(), (ex, req) -> read(req.uri())));
    }

    /** The contents at {@code uri}, or a resource-not-found error that lists what exists. */
    ReadResourceResult read(String uri) {
        if (uri.equals(INDEX)) {
            return text(uri, JSON, ServerJson.pretty(RuleDocuments.index(rules)));
        }
        if (uri.startsWith(CATEGORY)) {
            String c = decode(uri.substring(CATEGORY.length()));
            List<RuleDefinition> defs = RuleDocuments.inCategory(rules, c);
            if (defs.isEmpty()) {
                throw notFound(uri, "no rules in category '" + c + "'; categories: " + String.join(", ", rules.categories()));
            }
            return text(uri, YAML, RuleDocuments.yaml(RuleDocuments.pack(c, Version.ENGINE,
                    "The " + c + " rules in use on this server (" + defs.size() + ").", defs)));
        }
        if (uri.startsWith(RULE)) {
            String id = decode(uri.substring(RULE.length()));
            RuleDefinition d = rules.rule(id).orElseThrow(() -> notFound(uri, "no rule with id '" + id
                    + "'; rules://index lists them"));
            Map<String, Object> m = new java.util.LinkedHashMap<>(RuleDocuments.toMap(d));
            m.put("source", d.location());
            return text(uri, YAML, RuleDocuments.yaml(m));
        }
        if (uri.startsWith(POLICY)) {
            String name = decode(uri.substring(POLICY.length()));
            Map<String, Object> p = Policies.template(name).orElseThrow(() -> notFound(uri, "no policy template '"
                    + name + "'; templates: " + String.join(", ", Policies.NAMES)));
            return text(uri, YAML, RuleDocuments.yaml(p));
        }
        throw notFound(uri, "unknown resource; see rules://index");
    }

    private static ReadResourceResult text(String uri, String mime, String body) {
        return ReadResourceResult.builder(List.of(TextResourceContents.builder(uri, body).mimeType(mime).build())).build();
    }

    private static McpError notFound(String uri, String why) {
        return McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND).message(why).data(Map.of("uri", uri)).build();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8).trim();
    }
}
