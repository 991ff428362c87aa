package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jakarta Mail costs start-up time on every run (NOTES-libraries), so only a real SMTP
 * hand-off may load it. The proof: our classes alone, in a class loader that has no Jakarta
 * Mail at all, can read the settings, name the relay and print the dry-run envelope.
 */
class SmtpLazyLoadingTest {

    @Test
    void settingsAndDryRunNeedNoJakartaMail(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {ourClassesOnly(dir)},
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("jakarta.mail.Session"))
                    .isInstanceOf(ClassNotFoundException.class);

            Class<?> settingsType = Class.forName("org.mailfwd.handoff.SmtpSettings", true,
                    loader);
            Object settings = settingsType.getMethod("fromYaml", Map.class, Optional.class)
                    .invoke(null, Map.of("host", "relay.example"), Optional.empty());
            Class<?> handoffType = Class.forName("org.mailfwd.handoff.SmtpHandoff", true,
                    loader);
            Object handoff = handoffType.getConstructor(settingsType).newInstance(settings);
            Class<?> parser = Class.forName("org.mailfwd.envelope.ReversePathParser", true,
                    loader);
            Object sender = parser.getMethod("parseSender", String.class).invoke(null, "<>");
            Object recipient = parser.getMethod("parseRecipient", String.class)
                    .invoke(null, "a@example.net");

            Object relay = handoffType.getMethod("relay").invoke(handoff);
            Object envelope = handoffType.getMethod("describe",
                    Class.forName("org.mailfwd.envelope.EnvelopeSender", false, loader),
                    List.class).invoke(handoff, sender, List.of(recipient));

            assertThat(relay).isEqualTo("smtp:relay.example:587");
            assertThat((List<?>) envelope).map(Object::toString)
                    .contains("MAIL FROM:<>", "RCPT TO:<a@example.net>");
        }
    }

    /** The org.mailfwd classes, from target/classes or from the packaged (shaded) jar. */
    private static URL ourClassesOnly(Path dir) throws Exception {
        Path location = Path.of(SmtpHandoff.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        if (Files.isDirectory(location)) {
            assertThat(location.resolve("jakarta")).doesNotExist();
            return location.toUri().toURL();
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith("org/mailfwd/") && !entry.isDirectory()) {
                    copy(jar, entry, dir.resolve(entry.getName()));
                }
            }
        }
        return dir.toUri().toURL();
    }

    private static void copy(JarFile jar, JarEntry entry, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, target);
        }
    }
}
