package io.github.intuneexporter.config;

/** Microsoft national clouds: each has its own Graph root and Entra ID authority. */
public enum Cloud {
    GLOBAL("global", "https://graph.microsoft.com", "https://login.microsoftonline.com/"),
    USGOV("usgov", "https://graph.microsoft.us", "https://login.microsoftonline.us/"),
    USGOVDOD("usgovdod", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"),
    CHINA("china", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/");

    private final String key;
    private final String graphHost;
    private final String authorityHost;

    Cloud(String key, String graphHost, String authorityHost) {
        this.key = key;
        this.graphHost = graphHost;
        this.authorityHost = authorityHost;
    }

    public String key() {
        return key;
    }

    /** Graph root without version, e.g. https://graph.microsoft.com. */
    public String graphHost() {
        return graphHost;
    }

    public String authorityHost() {
        return authorityHost;
    }

    /** The app-only scope; tokens are not interchangeable between clouds. */
    public String defaultScope() {
        return graphHost + "/.default";
    }

    static Cloud parse(String path, String value) {
        return ConfigValues.oneOf(path, "cloud", value, values(), Cloud::key);
    }
}
