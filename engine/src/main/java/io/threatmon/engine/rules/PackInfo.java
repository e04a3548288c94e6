package io.threatmon.engine.rules;

/**
 * A loaded pack, for status output and report metadata.
 *
 * <pre>{@code
 * for (PackInfo p : ruleSet.packs()) System.out.println(p.name() + " " + p.version());
 * }</pre>
 */
public record PackInfo(String name, String version, String source, int ruleCount) {}
