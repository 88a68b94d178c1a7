//! The EG regions Huawei's SDKs know, and their endpoints.

/// One EventGrid region and its public endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Region id as Huawei writes it, e.g. `cn-north-4`.
    pub id: &'static str,
    /// The HTTPS endpoint of EG in that region.
    pub endpoint: &'static str,
}

/// Every EG region known to Huawei's official SDKs (huaweicloudsdkeg 3.1.219).
pub const REGIONS: &[Region] = &[
    Region {
        id: "cn-north-4",
        endpoint: "https://eg.cn-north-4.myhuaweicloud.com",
    },
    Region {
        id: "cn-east-2",
        endpoint: "https://eg.cn-east-2.myhuaweicloud.com",
    },
    Region {
        id: "cn-east-3",
        endpoint: "https://eg.cn-east-3.myhuaweicloud.com",
    },
    Region {
        id: "sa-brazil-1",
        endpoint: "https://eg.sa-brazil-1.myhuaweicloud.com",
    },
    Region {
        id: "ap-southeast-3",
        endpoint: "https://eg.ap-southeast-3.myhuaweicloud.com",
    },
    Region {
        id: "cn-south-1",
        endpoint: "https://eg.cn-south-1.myhuaweicloud.com",
    },
    Region {
        id: "cn-north-11",
        endpoint: "https://eg.cn-north-11.myhuaweicloud.com",
    },
    Region {
        id: "cn-north-9",
        endpoint: "https://eg.cn-north-9.myhuaweicloud.com",
    },
    Region {
        id: "na-mexico-1",
        endpoint: "https://eg.na-mexico-1.myhuaweicloud.com",
    },
    Region {
        id: "eu-west-101",
        endpoint: "https://eg.eu-west-101.myhuaweicloud.eu",
    },
];

/// Looks a region up by id.
pub fn find(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|region| region.id == id)
}

/// The environment variable that overrides a region's endpoint, as Huawei's
/// SDKs name it: `HUAWEICLOUD_SDK_REGION_EG_CN_NORTH_4` for `cn-north-4`.
pub fn endpoint_override_var(region_id: &str) -> String {
    format!(
        "HUAWEICLOUD_SDK_REGION_EG_{}",
        region_id.to_ascii_uppercase().replace('-', "_")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_known_regions_and_names_override_variables() {
        assert_eq!(
            find("eu-west-101").map(|r| r.endpoint),
            Some("https://eg.eu-west-101.myhuaweicloud.eu")
        );
        assert_eq!(
            find("cn-north-4").map(|r| r.endpoint),
            Some("https://eg.cn-north-4.myhuaweicloud.com")
        );
        assert_eq!(find("mars-1"), None);
        assert_eq!(REGIONS.len(), 10);
        assert_eq!(
            endpoint_override_var("cn-north-4"),
            "HUAWEICLOUD_SDK_REGION_EG_CN_NORTH_4"
        );
    }
}
