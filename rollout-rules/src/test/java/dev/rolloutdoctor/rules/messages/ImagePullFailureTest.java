package dev.rolloutdoctor.rules.messages;

import dev.rolloutdoctor.rules.messages.ImagePullFailure.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImagePullFailureTest {

    @Test
    void containerdNotFoundIsReadThroughKubeletsWrapperAndTheGrpcPrefix() {
        ImagePullFailure f = ImagePullFailure.classify("Failed to pull image \"docker.io/library/busybox:wrongtag\": rpc error: "
                + "code = NotFound desc = failed to pull and unpack image \"docker.io/library/busybox:wrongtag\": failed to "
                + "resolve reference \"docker.io/library/busybox:wrongtag\": docker.io/library/busybox:wrongtag: not found");

        assertThat(f.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(f.image()).isEqualTo("docker.io/library/busybox:wrongtag");
        assertThat(f.cause()).startsWith("failed to pull and unpack image").endsWith(": not found");
    }

    @Test
    void theTroubleshootBundlesX509ErrorIsATlsFailure() {
        // the waiting message of pods/message-image-pull-fail.json (replicatedhq/troubleshoot), as kubelet wrote it
        ImagePullFailure f = ImagePullFailure.classify("ErrImagePull", "rpc error: code = Unknown desc = Error response from "
                + "daemon: Get \"https://noimage.com/v2/\": x509: certificate is not valid for any names, but wanted to match "
                + "noimage.com");

        assertThat(f.reason()).isEqualTo(Reason.TLS);
        assertThat(f.cause()).startsWith("Error response from daemon").contains("x509: certificate is not valid");
    }

    @Test
    void aBareBackOffDoesNotSayWhy() {
        // sonobuoy PrintPodStatus.json
        ImagePullFailure f = ImagePullFailure.classify("ImagePullBackOff", "Back-off pulling image \"schnake/sonobuoy:987\"");

        assertThat(f.reason()).isEqualTo(Reason.UNKNOWN);
        assertThat(f.isKnown()).isFalse();
        assertThat(f.image()).isEqualTo("schnake/sonobuoy:987");
        assertThat(f.cause()).isEmpty();
    }

    @Test
    void aBackOffThatCarriesThePreviousErrorIsClassifiedByIt() {
        ImagePullFailure f = ImagePullFailure.classify("ImagePullBackOff", "Back-off pulling image \"registry.example.com/shop/web:1.3\": "
                + "ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve reference: "
                + "unexpected status from HEAD request: 401 Unauthorized");

        assertThat(f.reason()).isEqualTo(Reason.UNAUTHORIZED);
    }

    @Test
    void anImageWhoseTagLooksLikeAStatusIsNotMistakenForOne() {
        assertThat(ImagePullFailure.classify("Back-off pulling image \"shop/web:404\"").reason()).isEqualTo(Reason.UNKNOWN);
        assertThat(ImagePullFailure.classify("Failed to pull image \"shop/web:401\": rpc error: code = Unknown desc = "
                + "failed to pull and unpack image \"docker.io/shop/web:401\": manifest unknown").reason()).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void aTokenFetchThatFailsOnDnsIsANetworkProblemNotAnAuthorizationOne() {
        ImagePullFailure f = ImagePullFailure.classify("Failed to pull image \"nginx:1.25\": rpc error: code = Unknown desc = "
                + "failed to pull and unpack image \"docker.io/library/nginx:1.25\": failed to resolve reference: failed to "
                + "authorize: failed to fetch anonymous token: Get \"https://auth.docker.io/token\": dial tcp: lookup "
                + "auth.docker.io on 10.96.0.10:53: no such host");

        assertThat(f.reason()).isEqualTo(Reason.NETWORK);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NOT_FOUND            | Failed to pull image "nginx:nonexist": rpc error: code = Unknown desc = Error response from daemon: manifest for nginx:nonexist not found: manifest unknown: manifest unknown
            NOT_FOUND            | Failed to pull image "quay.io/shop/web:1.3": rpc error: code = Unknown desc = reading manifest 1.3 in quay.io/shop/web: manifest unknown
            NOT_FOUND            | Failed to pull image "ghcr.io/shop/web:1.3": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/shop/web:1.3": failed to resolve reference "ghcr.io/shop/web:1.3": ghcr.io/shop/web:1.3: not found
            UNAUTHORIZED         | Failed to pull image "shop/private:1": rpc error: code = Unknown desc = Error response from daemon: pull access denied for shop/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied
            UNAUTHORIZED         | Failed to pull image "registry.example.com/shop/web:1.3": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/web:1.3": failed to resolve reference "registry.example.com/shop/web:1.3": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
            UNAUTHORIZED         | Failed to pull image "eu.gcr.io/p/web:1": rpc error: code = Unknown desc = failed to pull and unpack image "eu.gcr.io/p/web:1": failed to resolve reference "eu.gcr.io/p/web:1": unexpected status code [manifests 1]: 403 Forbidden
            UNAUTHORIZED         | Failed to pull image "quay.io/shop/web:1.3": rpc error: code = Unknown desc = reading manifest 1.3 in quay.io/shop/web: unauthorized: access to the requested resource is not authorized
            RATE_LIMITED         | Failed to pull image "nginx:1.25": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nginx:1.25": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:abc: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.
            NETWORK              | Failed to pull image "registry.example.com/shop/web:1.3": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/web:1.3": failed to resolve reference "registry.example.com/shop/web:1.3": failed to do request: Head "https://registry.example.com/v2/shop/web/manifests/1.3": dial tcp 10.0.0.5:443: i/o timeout
            NETWORK              | Failed to pull image "registry.local:5000/web:1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.local:5000/web:1": failed to resolve reference "registry.local:5000/web:1": failed to do request: Head "https://registry.local:5000/v2/web/manifests/1": dial tcp 192.168.1.20:5000: connect: connection refused
            TLS                  | Failed to pull image "registry.example.com/web:1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/web:1": failed to resolve reference "registry.example.com/web:1": failed to do request: Head "https://registry.example.com/v2/web/manifests/1": tls: failed to verify certificate: x509: certificate signed by unknown authority
            TLS                  | Failed to pull image "10.0.0.5:5000/web:1": rpc error: code = Unknown desc = Error response from daemon: Get "https://10.0.0.5:5000/v2/": http: server gave HTTP response to HTTPS client
            PLATFORM             | Failed to pull image "shop/web:1.3": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/shop/web:1.3": no match for platform in manifest: not found
            INVALID_NAME         | Failed to apply default image tag "shop/Web:1.3": couldn't parse image reference "shop/Web:1.3": invalid reference format: repository name must be lowercase
            NEVER_PULL           | Container image "shop/web:1.3" is not present with pull policy of Never
            REGISTRY_UNAVAILABLE | image pull failed for registry.example.com/web:1 because the registry is unavailable: connection refused
            SIGNATURE            | image pull failed for registry.example.com/web:1 because the signature validation failed: no signature
            UNKNOWN              | Error: ErrImagePull
            UNKNOWN              | Failed to pull image "shop/web:1.3": rpc error: code = Unknown desc = failed to extract layer sha256:abc: write /var/lib/containerd/x: no space left on device
            """)
    void runtimeAndRegistryWordingsFallIntoTheirFamily(Reason expected, String message) {
        assertThat(ImagePullFailure.classify(message).reason()).isEqualTo(expected);
    }

    @Test
    void kubeletsOwnWaitingReasonsDecideWithoutAMessage() {
        assertThat(ImagePullFailure.classify("InvalidImageName", "").reason()).isEqualTo(Reason.INVALID_NAME);
        assertThat(ImagePullFailure.classify("ErrImageNeverPull", "").reason()).isEqualTo(Reason.NEVER_PULL);
        assertThat(ImagePullFailure.classify("Error: InvalidImageName").reason()).isEqualTo(Reason.INVALID_NAME);
    }

    @Test
    void theRegistryOfAReferenceIsItsFirstComponentWhenThatIsAHost() {
        assertThat(ImagePullFailure.registryOf("nginx:1.25")).isEqualTo("docker.io");
        assertThat(ImagePullFailure.registryOf("shop/web:1.3")).isEqualTo("docker.io");
        assertThat(ImagePullFailure.registryOf("registry.example.com/shop/web:1.3")).isEqualTo("registry.example.com");
        assertThat(ImagePullFailure.registryOf("registry.local:5000/web")).isEqualTo("registry.local:5000");
        assertThat(ImagePullFailure.registryOf("localhost/web")).isEqualTo("localhost");
    }
}
