package io.vigil.ingest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** MQTT topic-filter matching ({@code +} one level, {@code #} the rest), to route a message to its sensor kind. */
final class TopicFilters {

    private TopicFilters() {
    }

    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /**
     * What a bridge subscribes to for these kinds' filters, so that a message no kind claims still
     * reaches it and is dead-lettered (UNKNOWN_TOPIC) instead of passing unseen: each filter with a
     * last level {@code +} widened to {@code #} (a topic one level too deep), and with
     * {@code unknownKinds} each filter's first level and {@code #} (a kind nobody configured). A filter
     * another one covers is left out, since a broker may deliver a message once per matching subscription.
     */
    static List<String> catching(List<String> filters, boolean unknownKinds) {
        Set<String> wide = new LinkedHashSet<>();
        for (String filter : filters) {
            String[] levels = filter.split("/", -1);
            if (unknownKinds && levels.length > 1 && !isWildcard(levels[0])) {
                wide.add(levels[0] + "/#");
            } else if (levels[levels.length - 1].equals("+")) {
                wide.add(filter.substring(0, filter.length() - 1) + "#");
            } else {
                wide.add(filter);
            }
        }
        return wide.stream()
                .filter(f -> wide.stream().noneMatch(other -> !other.equals(f) && matches(other, f)))
                .toList();
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }

    /** The filter to subscribe with: plain, or shared by a group of bridges ({@code $share/<group>/<filter>}). */
    static String subscription(String filter, String shareGroup) {
        return shareGroup == null || shareGroup.isBlank() ? filter : "$share/" + shareGroup + "/" + filter;
    }
}
