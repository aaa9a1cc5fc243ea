package io.vigil.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A model-quality test: trains on real or simulated recordings for a minute or more, so it is a
 * {@code *QualityIT} run by failsafe, tagged {@value #TAG}: {@code mvn verify -Dgroups=quality} runs these alone,
 * {@code -DexcludedGroups=quality} every other test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(Quality.TAG)
public @interface Quality {

    /** The JUnit tag, for {@code -Dgroups} and {@code -DexcludedGroups}. */
    String TAG = "quality";
}
