package io.vigil.ingest;

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

    /** The filter to subscribe with: plain, or shared by a group of bridges ({@code $share/<group>/<filter>}). */
    static String subscription(String filter, String shareGroup) {
        return shareGroup == null || shareGroup.isBlank() ? filter : "$share/" + shareGroup + "/" + filter;
    }
}
